import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchAppends } from './appends';
import { benchAuthentication } from './auth';
import { benchStarvation } from './starvation';
import { benchImport } from './import';
import { benchPages } from './pages';
import { benchRebuildAndLatency } from './rebuild-and-latency';

/**
 * `npm run bench [-- --events N] [-- --only appends|import|auth|starvation|projections|pages] [-- --synchronous normal]`
 * Prints its figures; never a pass or a fail.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { events: { type: 'string', default: '1000000' }, only: { type: 'string' }, synchronous: { type: 'string', default: 'full' } },
  });
  const synchronous = values.synchronous === 'normal' ? 'normal' : 'full';
  const directory = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  process.stdout.write(`Alliance Ledger benchmarks (Node ${process.version}, data in ${directory})\n`);
  try {
    if (!values.only || values.only === 'appends') await benchAppends(directory, synchronous);
    if (!values.only || values.only === 'import') await benchImport(directory, synchronous);
    if (!values.only || values.only === 'auth') await benchAuthentication(directory, synchronous);
    if (!values.only || values.only === 'starvation') await benchStarvation(directory, Number(values.events), synchronous);
    if (!values.only || values.only === 'projections') await benchRebuildAndLatency(directory, Number(values.events), synchronous);
    if (!values.only || values.only === 'pages') await benchPages(directory, Number(values.events), synchronous);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
