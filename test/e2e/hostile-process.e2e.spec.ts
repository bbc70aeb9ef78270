import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/ledger-cli';
import { generatedBytes } from '../support/raw-http';
import { startServiceProcess } from '../support/service-process';

const MB = 1024 * 1024;

describe('hostile input to the processes', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-hostile-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('1. `ledger import` stops at a 600 MB line with its number, in bounded memory', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let printed = '';
    let complaint = '';
    stdout.on('data', (chunk) => (printed += chunk));
    stderr.on('data', (chunk) => (complaint += chunk));
    const before = process.memoryUsage().rss;
    const code = await runCli(['import', '-', '--alliance', 'cli-hostile'], {
      stdout,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stdin: Readable.from(generatedBytes(600 * MB, 'a', '\ufeff\r\n{"command":"')),
      env: { LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'silent', LEDGER_SQLITE_SYNCHRONOUS: 'normal' },
    });
    expect(code).toBe(1);
    expect(JSON.parse(printed)).toMatchObject({ status: 'stopped', error: { line: 2, code: 'line_too_long' } });
    expect(complaint).toMatch(/^Import stopped at line 2: line: is longer than 1048576 bytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
  });

  it('11. a port in use stops the service with one line naming the port, and exit code 1', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const service = startServiceProcess({ LEDGER_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
      expect(await service.exited).toBe(1);
      expect(service.stderr()).toBe(`Alliance Ledger could not start: port ${port} on 127.0.0.1 is already in use by another process; stop what holds it, or set PORT to a free port.\n`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
