import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `bin/ledger.js`, the package's `ledger` bin, in a copy of the package layout: it runs dist/ as
 * it is when dist/ is current, and when src/ is newer it rebuilds first without a word of the
 * build's output, unless the build fails. The build here is a stand-in that is as noisy as the
 * Nest CLI's, so the test needs no real build of the project.
 */
describe('the ledger bin', () => {
  let root: string;
  const entry = () => join(root, 'dist', 'cli', 'main.js');
  const builds = () => (existsSync(join(root, 'builds')) ? readFileSync(join(root, 'builds'), 'utf8').length : 0);
  const ledger = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'ledger.js'), ...args], { cwd: root, encoding: 'utf8' });
  const age = (path: string, seconds: number) => utimesSync(path, new Date(Date.now() - seconds * 1000), new Date(Date.now() - seconds * 1000));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-bin-'));
    for (const directory of ['bin', 'dist/cli', 'src/cli', 'node_modules/@nestjs/cli/bin']) mkdirSync(join(root, directory), { recursive: true });
    copyFileSync(join(__dirname, '..', '..', 'bin', 'ledger.js'), join(root, 'bin', 'ledger.js'));
    writeFileSync(entry(), "process.stdout.write('ran ' + process.argv.slice(2).join(' ') + '\\n');\n");
    writeFileSync(join(root, 'src', 'cli', 'main.ts'), '// source\n');
    writeFileSync(
      join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'),
      `const { appendFileSync, writeFileSync } = require('node:fs');
       appendFileSync('builds', '.');
       process.stdout.write('>  SWC  Running...\\nSuccessfully compiled: 261 files with swc\\n');
       process.stderr.write('a compiler banner on stderr\\n');
       if (process.env.FAIL_BUILD) { process.stderr.write('src/cli/main.ts:1 error TS1005\\n'); process.exit(1); }
       writeFileSync(${JSON.stringify(entry())}, "process.stdout.write('rebuilt ' + process.argv.slice(2).join(' ') + '\\\\n');\\n");`,
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('runs dist/ when it is newer than src/, without building', () => {
    age(join(root, 'src', 'cli', 'main.ts'), 60);
    const result = ledger('events', '--limit', '1');
    expect(result).toMatchObject({ status: 0, stdout: 'ran events --limit 1\n', stderr: '' });
    expect(builds()).toBe(0);
  });

  it('rebuilds quietly when a source file is newer, then runs the new build', () => {
    age(entry(), 60);
    const result = ledger('--help');
    expect(result).toMatchObject({ status: 0, stdout: 'rebuilt --help\n', stderr: '' });
    expect(builds()).toBe(1);
  });

  it('shows the build’s output only when the build fails', () => {
    age(entry(), 60);
    const result = spawnSync(process.execPath, [join(root, 'bin', 'ledger.js'), '--help'], { cwd: root, encoding: 'utf8', env: { ...process.env, FAIL_BUILD: '1' } });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error TS1005');
    expect(result.stderr).toContain('ledger: the build failed');
  });

  it('runs dist/ as it is in an installed package, which has no src/', () => {
    rmSync(join(root, 'src'), { recursive: true });
    age(entry(), 60);
    expect(ledger('--help')).toMatchObject({ status: 0, stdout: 'ran --help\n', stderr: '' });
    expect(builds()).toBe(0);
  });
});
