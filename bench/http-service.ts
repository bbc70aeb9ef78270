import { Agent } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createHttpApp } from '../src/app';
import { loadConfig } from '../src/config/app-config';
import { streamNames } from '../src/shared/stream-names';
import { fmt, rawBatchedInsertRate } from './appends';
import { bearer } from './auth';
import { bareServer, get, load, LoadResult, percentile, profiled, send } from './http-load';
import { benchLines } from './ledger-lines';
import { report, timed } from './report';
import { schemeIds, synthesizeCosts } from './synthesized-costs';

const SCHEMES = 50;
const LINES_PER_REQUEST = 5_000;

export interface HttpBenchOptions {
  /** Events the alliance grows to: two windows of cost lines over HTTP, the middle synthesised. */
  lines: number;
  quick: boolean;
  synchronous: 'full' | 'normal';
  /** Which parts after the imports: reads and history (both by default; fewer for profiling). */
  parts?: ReadonlySet<'reads' | 'history'>;
}

/**
 * The service as users reach it, over HTTP with tokens checked and the projection running:
 * imports in 5,000-line requests (the first and the last part compared), how soon a read reflects
 * an import, statement and summary reads under 32 clients (plain and conditional), and reads of
 * the past at that size. Each figure beside its physical baseline measured in the same run.
 */
export async function benchHttpService(directory: string, options: HttpBenchOptions): Promise<void> {
  const dataDir = join(directory, 'http');
  const config = loadConfig({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'silent', LEDGER_SQLITE_SYNCHRONOUS: options.synchronous });
  const app = await createHttpApp(config);
  await app.listen(0, '127.0.0.1');
  try {
    const { port } = app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const admin = await bearer(app, 'admin@bench', true);
    const importing = await benchImports(base, dataDir, admin, options);
    const raw = await rawBatchedInsertRate(join(directory, 'http-raw.db'), 100_000, options.synchronous);
    const window = importing.window;
    report(`HTTP import: cost lines over ${SCHEMES} schemes in ${fmt(LINES_PER_REQUEST)}-line requests into an alliance that grows to ${fmt(importing.events)} events, projection running, tokens checked`, [
      ['raw better-sqlite3 inserts, 100 rows a transaction (baseline)', `${fmt(raw)} rows/s`],
      [`import, both windows (aim ≥ 20,000)`, `${fmt(importing.rate)} commands/s  (${(importing.rate / raw).toFixed(3)} of raw)`],
      [`first ${fmt(window)} lines, into a new alliance`, `${fmt(importing.first)} commands/s`],
      [`last ${fmt(window)} lines, alliance at ~${fmt(importing.events)} events`, `${fmt(importing.last)} commands/s  (${(importing.last / importing.first).toFixed(2)} of the first; aim ≥ 0.80)`],
      ['read-your-writes lag after each import, p50 / p99 (aim p99 ≤ 1,000 ms)', `${importing.lag.p50.toFixed(0)} / ${importing.lag.p99.toFixed(0)} ms`],
      ['CPU time a line, import and projection (one core gives 20,000 lines/s at 50 µs)', `${importing.cpuMicrosPerLine.toFixed(0)} µs`],
    ]);

    const parts = options.parts ?? new Set(['reads', 'history']);
    await grantPartner(base, admin);
    const partner = await bearer(app, 'partner@bench');
    if (parts.has('reads')) await benchReads(base, admin, partner, options);
    if (parts.has('history')) await benchHistory(dataDir, base, admin, importing.midway, options);
  } finally {
    await app.close();
  }
}

interface ImportFigures {
  /** Events in the alliance at the end (imported and synthesised). */
  events: number;
  imported: number;
  rate: number;
  window: number;
  first: number;
  last: number;
  lag: { p50: number; p99: number };
  /** The process's CPU time per imported line over both windows (see benchImports). */
  cpuMicrosPerLine: number;
  /** An instant after the synthesised middle and before the last window: the past at ~`events` events. */
  midway: Date;
}

/**
 * The first `window` lines over HTTP into a new alliance, then the middle synthesised straight into
 * the store while the service runs (its projection follows), one request to let the service meet
 * the grown streams, and the last `window` lines over HTTP into an alliance of ~`lines` events.
 * Importing the middle over HTTP too would measure the same thing for ten times as long.
 */
async function benchImports(base: string, dataDir: string, admin: Record<string, string>, options: HttpBenchOptions): Promise<ImportFigures> {
  const setup = [...benchLines(SCHEMES, 0)];
  for (const schemeId of schemeIds(SCHEMES)) setup.push(JSON.stringify({ command: 'CompleteScheme', data: { schemeId, periodId: '2026-Q1' } }));
  await postImport(base, admin, setup.join('\n'));

  const windowRequests = Math.max(1, Math.min(20, Math.floor(options.lines / LINES_PER_REQUEST / 10)));
  const window = windowRequests * LINES_PER_REQUEST;
  const lags: number[] = [];
  const failedChecks: string[] = [];
  let lagChecks: Promise<void> = Promise.resolve();
  let line = 0;
  const importWindow = async (label: string, requests: number, measured: boolean): Promise<number[]> => {
    const seconds: number[] = [];
    for (let request = 0; request < requests; request += 1) {
      const body = costLines(line, LINES_PER_REQUEST);
      line += LINES_PER_REQUEST;
      seconds.push(await profiled(`import-${label}-${request}`, () => timed(() => postImport(base, admin, body))));
      if (!measured) continue;
      // A reader asks the moment the import is answered; the read waits until the projection holds it.
      const answered = process.hrtime.bigint();
      // On a connection of its own: a kept-alive one may be closed by the server's idle timeout as it is reused.
      const check = get(`${base}/alliances/bench/periods/2026-Q1/summary`, admin).then(
        (answer) => {
          if (answer.status !== 200 || answer.headers['x-read-model-status'] !== 'current') failedChecks.push(`${answer.status} ${String(answer.headers['x-read-model-status'])}`);
          else lags.push(Number(process.hrtime.bigint() - answered) / 1e6);
        },
        (error: Error) => {
          failedChecks.push(error.message);
        },
      );
      lagChecks = lagChecks.then(() => check);
    }
    process.stdout.write(`  ${label}: ${fmt(requests * LINES_PER_REQUEST)} lines at ${fmt((requests * LINES_PER_REQUEST) / seconds.reduce((a, b) => a + b, 0))} commands/s\n`);
    return seconds;
  };

  // The process's CPU time over a window, until the projection holds its last line: the service's
  // import and projection, and this bench's client (which only posts the bodies and reads the lag).
  const cpuPerLine = async (work: () => Promise<number[]>): Promise<{ seconds: number[]; micros: number }> => {
    const before = process.cpuUsage();
    const seconds = await work();
    await lagChecks;
    const used = process.cpuUsage(before);
    const micros = (used.user + used.system) / (seconds.length * LINES_PER_REQUEST);
    process.stdout.write(`  ${micros.toFixed(0)} µs of CPU a line, the projection included\n`);
    return { seconds, micros };
  };
  const { seconds: first, micros: firstCpu } = await cpuPerLine(() => importWindow('first window', windowRequests, true));
  const middle = Math.max(0, options.lines - 2 * window - LINES_PER_REQUEST);
  const synthesized = synthesizeCosts(join(dataDir, 'events.db'), { allianceId: 'bench', schemeIds: schemeIds(SCHEMES), periodId: '2026-Q1', events: middle, batch: 2 });
  process.stdout.write(`  middle: ${fmt(synthesized.events)} cost events synthesised into the store in ${synthesized.seconds.toFixed(1)} s\n`);
  const caughtUp = await timed(() => waitForCurrent(base, admin));
  process.stdout.write(`  the running projection took them in within ${caughtUp.toFixed(1)} s\n`);
  const midway = new Date();
  await importWindow('warm-up, not counted (the service reads each grown scheme once)', 1, false);
  const { seconds: last, micros: lastCpu } = await cpuPerLine(() => importWindow('last window', windowRequests, true));
  if (failedChecks.length > 0) process.stdout.write(`  ${failedChecks.length} reads after an import did not answer current: ${failedChecks.slice(0, 3).join('; ')}\n`);
  const rateOf = (part: number[]) => (part.length * LINES_PER_REQUEST) / part.reduce((a, b) => a + b, 0);
  lags.sort((a, b) => a - b);
  return {
    events: line + synthesized.events,
    imported: line,
    rate: rateOf([...first, ...last]),
    window,
    first: rateOf(first),
    last: rateOf(last),
    lag: { p50: percentile(lags, 50), p99: percentile(lags, 99) },
    cpuMicrosPerLine: (firstCpu + lastCpu) / 2,
    midway,
  };
}

/** Until a summary read answers with the read models current (it waits up to 5 s a time itself). */
async function waitForCurrent(base: string, admin: Record<string, string>): Promise<void> {
  // A connection per request: the synthesis held the event loop for seconds, and a kept-alive
  // socket may be closed by the server's idle timer just as it is reused (ECONNRESET).
  const fresh = new Agent({ keepAlive: false });
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const answer = await get(`${base}/alliances/bench/periods/2026-Q1/summary`, admin, fresh);
    if (answer.status === 200 && answer.headers['x-read-model-status'] === 'current') return;
  }
  throw new Error('the projection did not take in the synthesised events within ten minutes');
}

function costLines(from: number, count: number): string {
  const lines: string[] = [];
  for (let line = from; line < from + count; line += 1) {
    lines.push(
      JSON.stringify({
        command: 'RecordDefinedCost',
        data: { schemeId: `S${line % SCHEMES}`, periodId: '2026-Q1', costId: `INV-${line}`, amount: `${1000 + (line % 9000)}.${String(line % 100).padStart(2, '0')}` },
      }),
    );
  }
  return lines.join('\n');
}

async function postImport(base: string, headers: Record<string, string>, body: string): Promise<void> {
  const answer = await send(`${base}/alliances/bench/imports`, 'POST', { ...headers, 'content-type': 'application/x-ndjson' }, body);
  if (answer.status !== 200) throw new Error(`import answered ${answer.status}: ${answer.body.slice(0, 300)}`);
}

async function grantPartner(base: string, admin: Record<string, string>): Promise<void> {
  const answer = await send(`${base}/alliances/bench/access/grants`, 'POST', { ...admin, 'content-type': 'application/json' }, JSON.stringify({ subject: 'partner@bench', role: 'partner', partnerId: 'S1' }));
  if (answer.status >= 300) throw new Error(`grant answered ${answer.status}: ${answer.body}`);
}

async function benchReads(base: string, admin: Record<string, string>, partner: Record<string, string>, options: HttpBenchOptions): Promise<void> {
  const clients = 32;
  const perClient = options.quick ? 60 : 250;
  // The bare server and the service take turns, so a neighbour's burst on this shared machine
  // weighs on both; each ratio is of one turn, and the figures shown are the medians.
  const rounds = options.quick ? 1 : 3;
  const statementUrl = `${base}/alliances/bench/periods/2026-Q1/statements/S1`;
  const summaryUrl = `${base}/alliances/bench/periods/2026-Q1/summary`;
  const statement = await get(statementUrl, partner);
  const summary = await get(summaryUrl, admin);
  const rows: Array<[string, string]> = [];
  for (const [name, url, headers, answer] of [
    ['partner statement', statementUrl, partner, statement],
    ['period summary', summaryUrl, admin, summary],
  ] as const) {
    const etag = answer.headers.etag;
    const bare = await bareServer(answer.body);
    const turns: Array<{ bare: LoadResult; plain: LoadResult; conditional?: LoadResult }> = [];
    try {
      for (let round = 0; round < rounds; round += 1) {
        const bareRate = await load(bare.url, {}, clients, perClient);
        const plain = await profiled(`${name.replace(' ', '-')}-${round}`, () => load(url, headers, clients, perClient));
        const conditional = typeof etag === 'string' ? await load(url, { ...headers, 'if-none-match': etag }, clients, perClient, [304]) : undefined;
        turns.push({ bare: bareRate, plain, conditional });
      }
    } finally {
      await bare.close();
    }
    const ratios = (pick: (turn: (typeof turns)[number]) => LoadResult | undefined) => turns.map((turn) => pick(turn)!.rate / turn.bare.rate);
    const shown = (pick: (turn: (typeof turns)[number]) => LoadResult | undefined) => {
      const each = ratios(pick);
      const rate = median(turns.map((turn) => pick(turn)!.rate));
      const p99 = median(turns.map((turn) => pick(turn)!.p99));
      const range = each.length > 1 ? `; turns ${each.map((ratio) => ratio.toFixed(2)).join(', ')}` : '';
      return `${fmt(rate)} requests/s, p99 ${p99.toFixed(1)} ms  (${median(each).toFixed(2)} of bare${range})`;
    };
    rows.push([
      `bare Node server, the ${name}'s ${fmt(answer.body.length)} bytes (baseline)`,
      `${fmt(median(turns.map((turn) => turn.bare.rate)))} requests/s, p99 ${median(turns.map((turn) => turn.bare.p99)).toFixed(1)} ms`,
    ]);
    rows.push([`${name} (aim ≥ 0.50 of bare, p99 ≤ 20 ms)`, shown((turn) => turn.plain)]);
    if (typeof etag === 'string') rows.push([`${name}, If-None-Match: unchanged (304)`, shown((turn) => turn.conditional)]);
    else rows.push([`${name}, conditional`, 'no ETag in the answer']);
  }
  report(`Reads over HTTP: ${clients} keep-alive clients, tokens checked, ${rounds === 1 ? 'one turn' : `medians of ${rounds} turns`} of ${fmt(clients * perClient)} requests each, taken in turn with the bare server`, rows);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function benchHistory(dataDir: string, base: string, admin: Record<string, string>, midway: Date, options: HttpBenchOptions): Promise<void> {
  const repeat = options.quick ? 5 : 20;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = async (path: string) => {
    const started = process.hrtime.bigint();
    const answer = await get(`${base}${path}`, admin, agent);
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const timedGets = async (path: string) => {
    const latencies: number[] = [];
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      for (let i = 0; i < repeat; i += 1) latencies.push(await once(path));
    } finally {
      clearInterval(sampler);
    }
    latencies.sort((a, b) => a - b);
    return `p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, bench process RSS up to ${fmt(peak / 2 ** 20)} MB`;
  };
  const scan = await rawScanSeconds(dataDir);
  const summary = '/alliances/bench/periods/2026-Q1/summary';
  const asAt = encodeURIComponent(midway.toISOString());
  const later = encodeURIComponent(new Date().toISOString());
  const cold = await once(`${summary}?asAt=${asAt}`);
  report(`History at scale: ${fmt(scan.events)} events in one alliance, ${repeat} requests each, one client; the RSS is the whole bench process's, the service and every part run before included`, [
    ['raw better-sqlite3 scan of the alliance’s events, JSON parsed (baseline)', `${(scan.seconds * 1000).toFixed(0)} ms`],
    ['first read of the past after start: folds the history once, keeping snapshots', `${cold.toFixed(0)} ms  (${(cold / 1000 / scan.seconds).toFixed(2)} of the raw scan)`],
    ['summary from the read models', await timedGets(summary)],
    ['summary asAt the middle of the import (aim p99 ≤ 200 ms)', await timedGets(`${summary}?asAt=${asAt}`)],
    ['summary asAt now', await timedGets(`${summary}?asAt=${later}`)],
    ['explained summary (aim p99 ≤ 200 ms)', await profiled('explained', () => timedGets(`${summary}?explain=true`))],
    ['period page /ui/… (aim p99 ≤ 200 ms)', await timedGets('/ui/alliances/bench/periods/2026-Q1')],
  ]);
  agent.destroy();
}

/** What reading every event of the alliance costs SQLite and JSON.parse alone. */
async function rawScanSeconds(dataDir: string): Promise<{ seconds: number; events: number }> {
  const db = new Database(join(dataDir, 'events.db'), { readonly: true });
  const prefix = streamNames.alliancePrefix('bench');
  let events = 0;
  const seconds = await timed(async () => {
    const rows = db.prepare('SELECT data, metadata FROM events WHERE stream >= ? AND stream < ? ORDER BY position').iterate(prefix, `${prefix.slice(0, -1)}/`);
    for (const row of rows as Iterable<{ data: string; metadata: string }>) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      events += 1;
    }
  });
  db.close();
  return { seconds, events };
}
