import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { benchAppends } from './appends';
import { benchAuthentication } from './auth';
import { benchCli } from './cli';
import { benchStarvation } from './starvation';
import { benchHttpService } from './http-service';
import { benchImport } from './import';
import { benchPages } from './pages';
import { benchRebuildAndLatency } from './rebuild-and-latency';

/**
 * `npm run bench [-- --events N] [-- --only appends|import|auth|starvation|projections|pages|cli] [-- --synchronous normal]`
 * `npm run bench [-- --quick] [-- --only appends|import|auth|http|http-imports|http-reads|http-history|projections] [-- --lines N] [-- --events N] [-- --synchronous normal]`
 * Prints its figures; never a pass or a fail.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      lines: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      synchronous: { type: 'string', default: 'full' },
    },
  });
  const quick = values.quick;
  const synchronous = values.synchronous === 'normal' ? 'normal' : 'full';
  const directory = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const started = process.hrtime.bigint();
  process.stdout.write(`Alliance Ledger benchmarks (Node ${process.version}, data in ${directory})\n`);
  try {
    if (!values.only || values.only === 'appends') await benchAppends(directory, synchronous);
    if (!values.only || values.only === 'import') await benchImport(directory, synchronous);
    if (!values.only || values.only === 'auth') await benchAuthentication(directory, synchronous);
    const bigEvents = Number(values.events ?? (quick ? 500_000 : 10_000_000));
    if (values.only === 'projections') await benchRebuildAndLatency(directory, bigEvents, synchronous);
    // In a process of its own, so the peak RSS it prints is the rebuild's alone and what the 10M
    // store leaves in memory does not weigh on the figures after it.
    else if (!values.only) await inChildProcess(['--only', 'projections', '--events', String(bigEvents), '--synchronous', synchronous]);
    if (!values.only || values.only.startsWith('http')) {
      const parts = values.only === 'http-imports' ? new Set<never>() : values.only === 'http-reads' ? new Set(['reads' as const]) : values.only === 'http-history' ? new Set(['history' as const]) : undefined;
      await benchHttpService(directory, { lines: Number(values.lines ?? (quick ? 100_000 : 1_000_000)), quick, synchronous, parts });
    }
    const historyEvents = Number(values.events ?? (quick ? 200_000 : 1_000_000));
    if (!values.only || values.only === 'starvation') await benchStarvation(directory, historyEvents, synchronous);
    if (!values.only || values.only === 'pages') await benchPages(directory, historyEvents, synchronous);
    if (!values.only || values.only === 'cli') await benchCli(directory);
    process.stdout.write(`\nThe run took ${(Number(process.hrtime.bigint() - started) / 60e9).toFixed(1)} min (aim for the default run ≤ 10)\n`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** This bench again, in a child process whose output is this one's. */
function inChildProcess(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Its own header and run length are left out: they belong to this run.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!/^(Alliance Ledger benchmarks|The run took)/.test(line)) process.stdout.write(`${line}\n`);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the projections bench exited with ${code}`))));
  });
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
