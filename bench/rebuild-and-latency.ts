import { join } from 'node:path';
import { createHttpApp } from '../src/app';
import { loadConfig } from '../src/config/app-config';
import { SettlementProjector } from '../src/settlement/read-models/settlement-projector';
import { fmt } from './appends';
import { bearer } from './auth';
import { percentile } from './http-load';
import { report, timed } from './report';
import { synthesizeBenchAlliance } from './synthesized-costs';

/** With `events` events in the embedded store: fill, rebuild speed and memory, then the period summary's latency over HTTP. */
export async function benchRebuildAndLatency(directory: string, events: number, synchronous: 'full' | 'normal'): Promise<void> {
  process.stdout.write(`\nFilling the embedded store with ${fmt(events)} events synthesised by SQLite...\n`);
  const filled = await synthesizeBenchAlliance(join(directory, 'events.db'), events);

  const config = loadConfig({ LEDGER_DATA_DIR: directory, LOG_LEVEL: 'silent', LEDGER_SQLITE_SYNCHRONOUS: synchronous });
  const app = await createHttpApp(config, { liveProjection: false });
  await app.listen(0, '127.0.0.1');
  try {
    const projector = app.get(SettlementProjector);
    let rebuilt = { events: 0 };
    const before = process.memoryUsage().rss;
    const seconds = await timed(async () => {
      rebuilt = await projector.rebuild();
    });
    // The rebuild hardly yields, so a sampler would miss it: the process's own high-water mark instead.
    const peak = process.resourceUsage().maxRSS * 1024;
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
    report(`Projections with ${fmt(rebuilt.events)} events (embedded store, SQLite read models)`, [
      ['fill: cost events synthesised by SQLite into the store’s tables (not measured against an aim)', `${fmt(filled.events / filled.seconds)} events/s (${filled.seconds.toFixed(0)} s)`],
      ['rebuild time', `${seconds.toFixed(1)} s`],
      ['rebuild rate (aim > 50,000)', `${fmt(rebuilt.events / seconds)} events/s`],
      ['peak RSS of the process (run on its own; aim ≤ 1.5 GB)', `${fmt(peak / 2 ** 20)} MB (${fmt(before / 2 ** 20)} MB before the rebuild)`],
      ['period summary p50 over 200 requests', `${percentile(latencies, 50).toFixed(2)} ms`],
      ['period summary p99 over 200 requests (aim < 20)', `${percentile(latencies, 99).toFixed(2)} ms`],
    ]);
  } finally {
    await app.close();
  }
}
