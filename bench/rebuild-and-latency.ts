import { join } from 'node:path';
import { createHttpApp } from '../src/app';
import { loadConfig } from '../src/config/app-config';
import { SettlementProjector } from '../src/settlement/read-models/settlement-projector';
import { fmt } from './appends';
import { bearer } from './auth';
import { importBenchLedger } from './import';
import { report, timed } from './report';

/** With `events` events in the embedded store: rebuild speed, then the period summary's latency over HTTP. */
export async function benchRebuildAndLatency(directory: string, events: number, synchronous: 'full' | 'normal'): Promise<void> {
  const costs = events;
  process.stdout.write(`\nFilling the embedded store with ~${fmt(events)} events through the import path...\n`);
  const filled = await importBenchLedger(join(directory, 'events.db'), 50, costs, synchronous);
  process.stdout.write(`  ${fmt(filled.lines)} commands in ${filled.seconds.toFixed(1)} s\n`);

  const config = loadConfig({ LEDGER_DATA_DIR: directory, LOG_LEVEL: 'silent', LEDGER_SQLITE_SYNCHRONOUS: synchronous });
  const app = await createHttpApp(config, { liveProjection: false });
  await app.listen(0, '127.0.0.1');
  try {
    const projector = app.get(SettlementProjector);
    let rebuilt = { events: 0 };
    const seconds = await timed(async () => {
      rebuilt = await projector.rebuild();
    });
    const { port } = app.getHttpServer().address() as { port: number };
    const url = `http://127.0.0.1:${port}/alliances/bench/periods/2026-Q1/summary`;
    const headers = await bearer(app, 'bench-admin', true);
    for (let warm = 0; warm < 20; warm += 1) await (await fetch(url, { headers })).text();
    const latencies: number[] = [];
    for (let request = 0; request < 200; request += 1) {
      const started = process.hrtime.bigint();
      const response = await fetch(url, { headers });
      await response.text();
      if (response.status !== 200) throw new Error(`summary answered ${response.status}`);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
    report(`Projections with ${fmt(rebuilt.events)} events (embedded store, SQLite read models)`, [
      ['rebuild time', `${seconds.toFixed(2)} s`],
      ['rebuild rate (aim > 50,000)', `${fmt(rebuilt.events / seconds)} events/s`],
      ['period summary p50 over 200 requests', `${percentile(50).toFixed(2)} ms`],
      ['period summary p99 over 200 requests (aim < 20)', `${percentile(99).toFixed(2)} ms`],
    ]);
  } finally {
    await app.close();
  }
}
