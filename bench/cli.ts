import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { report } from './report';

const ROOT = join(__dirname, '..');
const RUNS = 7;

/**
 * The `ledger` command's wall-clock start, as a person at a shell meets it: `bin/ledger.js` (which
 * runs dist/, rebuilding first only when src/ is newer) for help, a history read and a summary,
 * beside `node -e 0` on the same machine in the same run (the floor: starting Node itself).
 */
export async function benchCli(directory: string): Promise<void> {
  const dataDir = join(directory, 'cli');
  mkdirSync(dataDir, { recursive: true });
  const env = { ...process.env, LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  const ledger = (...args: string[]) => [join(ROOT, 'bin', 'ledger.js'), ...args];
  // The first call builds dist/ if it is stale, and fills a small ledger to read.
  run(ledger('import', join(ROOT, 'test', 'fixtures', 'worked-example.ndjson'), '--alliance', 'sma'), env);

  const rows: Array<[string, string]> = [];
  const floor = measure(['-e', '0'], env);
  rows.push(['node -e 0 (the floor)', describe(floor)]);
  for (const [label, args] of [
    ['ledger --help', ledger('--help')],
    ['ledger events --alliance sma --limit 1', ledger('events', '--alliance', 'sma', '--limit', '1')],
    ['ledger summary --alliance sma --period 2026-Q1', ledger('summary', '--alliance', 'sma', '--period', '2026-Q1')],
  ] as const) {
    const times = measure([...args], env);
    rows.push([label, `${describe(times)} · ${(median(times) - median(floor)).toFixed(0)} ms above the floor`]);
  }
  report(`CLI start, wall clock to exit (${RUNS} runs each; dist/ current; aim: help and events under 1 s)`, rows);
}

function measure(args: string[], env: NodeJS.ProcessEnv): number[] {
  const times: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const started = process.hrtime.bigint();
    run(args, env);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

function run(args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)];

function describe(sorted: number[]): string {
  return `median ${median(sorted).toFixed(0)} ms, slowest ${sorted[sorted.length - 1].toFixed(0)} ms`;
}
