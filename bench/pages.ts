import { Agent, createServer, request } from 'node:http';
import { join } from 'node:path';
import { createHttpApp } from '../src/app';
import { loadConfig } from '../src/config/app-config';
import { SettlementProjector } from '../src/settlement/read-models/settlement-projector';
import { fmt } from './appends';
import { bearer } from './auth';
import { report, timed } from './report';
import { synthesizeBenchAlliance } from './synthesized-costs';

const REQUESTS = 200;
const WARM_UP = 20;
/** A slow page is measured for at most this long (and at least MIN_REQUESTS times): the bench should end. */
const BUDGET_MS = 60_000;
const MIN_REQUESTS = 20;

/**
 * The pages at a large alliance (`events` cost lines over 50 schemes in one open period):
 * time to first byte of the period, statement and history pages (and the alliance dashboard),
 * one request at a time over a keep-alive connection, beside a bare Node server answering the
 * same bytes in the same run (the floor: client, loopback and HTTP parsing).
 */
export async function benchPages(directory: string, events: number, synchronous: 'full' | 'normal'): Promise<void> {
  process.stdout.write(`\nFilling the embedded store with ~${fmt(events)} events for the pages...\n`);
  const dataDir = join(directory, 'pages');
  const filled = await synthesizeBenchAlliance(join(dataDir, 'events.db'), events);
  process.stdout.write(`  ${fmt(filled.events)} cost events synthesised in ${filled.seconds.toFixed(1)} s\n`);

  const config = loadConfig({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'silent', LEDGER_SQLITE_SYNCHRONOUS: synchronous });
  const app = await createHttpApp(config, { liveProjection: false });
  await app.listen(0, '127.0.0.1');
  const bare = createServer();
  try {
    let rebuilt = { events: 0 };
    const rebuildSeconds = await timed(async () => {
      rebuilt = await app.get(SettlementProjector).rebuild();
    });
    process.stdout.write(`  read models rebuilt from ${fmt(rebuilt.events)} events in ${rebuildSeconds.toFixed(1)} s\n`);
    const { port } = app.getHttpServer().address() as { port: number };
    const headers = await bearer(app, 'bench-admin', true);
    const pages: Array<[string, string]> = [
      ['period page', '/ui/alliances/bench/periods/2026-Q1'],
      ['partner statement page', '/ui/alliances/bench/periods/2026-Q1/partners/S1'],
      ['event history page (newest 50)', '/ui/alliances/bench/events'],
      ['event history, filtered by type', '/ui/alliances/bench/events?type=CompensationEventImplemented,SchemeCompleted'],
      ['alliance dashboard', '/ui/alliances/bench'],
    ];

    // The bare server answers with whatever bytes the page under test last produced.
    let served: { body: Buffer; type: string } = { body: Buffer.alloc(0), type: 'text/html; charset=utf-8' };
    bare.on('request', (_request, response) => response.writeHead(200, { 'content-type': served.type, 'content-length': served.body.length }).end(served.body));
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const barePort = (bare.address() as { port: number }).port;

    const rows: Array<[string, string]> = [];
    for (const [label, path] of pages) {
      const page = await measure(port, path, headers);
      served = { body: page.body, type: 'text/html; charset=utf-8' };
      const floor = await measure(barePort, '/', {});
      rows.push([
        `${label} (${fmt(page.body.length)} bytes${page.count < REQUESTS ? `, ${page.count} requests` : ''})`,
        `TTFB p50 ${page.p50.toFixed(2)} ms, p99 ${page.p99.toFixed(2)} ms · bare Node, same bytes: p50 ${floor.p50.toFixed(2)}, p99 ${floor.p99.toFixed(2)} ms`,
      ]);
    }
    report(`Pages with ${fmt(rebuilt.events)} events (embedded store, SQLite read models; ${REQUESTS} requests each unless noted; aim: p99 ≤ 50 ms)`, rows);
  } finally {
    bare.close();
    await app.close();
  }
}

/** Sequential GETs on one keep-alive connection: time to the answer's first byte (status line and headers in), and the last body. */
async function measure(port: number, path: string, headers: Record<string, string>): Promise<{ p50: number; p99: number; count: number; body: Buffer }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ttfb: number[] = [];
  let body: Buffer = Buffer.alloc(0);
  try {
    // Warm up: WARM_UP requests, or a tenth of the budget for a slow page.
    const warming = performance.now();
    for (let i = 0; i < WARM_UP && performance.now() - warming < BUDGET_MS / 10; i += 1) await get(agent, port, path, headers);
    const measuring = performance.now();
    while (ttfb.length < REQUESTS && (ttfb.length < MIN_REQUESTS || performance.now() - measuring < BUDGET_MS)) {
      const result = await get(agent, port, path, headers);
      ttfb.push(result.ttfb);
      body = result.body;
    }
  } finally {
    agent.destroy();
  }
  ttfb.sort((a, b) => a - b);
  const percentile = (p: number) => ttfb[Math.min(ttfb.length - 1, Math.ceil((p / 100) * ttfb.length) - 1)];
  return { p50: percentile(50), p99: percentile(99), count: ttfb.length, body };
}

function get(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<{ ttfb: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const outgoing = request({ host: '127.0.0.1', port, path, headers, agent }, (response) => {
      // The status line and headers are in: the first bytes of the answer.
      const ttfb = Number(process.hrtime.bigint() - started) / 1e6;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`${path} answered ${response.statusCode}`));
        else resolve({ ttfb, body: Buffer.concat(chunks) });
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
