import { join } from 'node:path';
import { createHttpApp } from '../src/app';
import { loadConfig } from '../src/config/app-config';
import { fmt } from './appends';
import { bearer } from './auth';
import { benchLines } from './ledger-lines';
import { report } from './report';
import { synthesizeCosts } from './synthesized-costs';

/**
 * A heavy replay must not starve the rest: /health and an ordinary read, timed while an explained
 * `asAt` summary replays `events` events, beside the same requests with nothing else running.
 */
export async function benchStarvation(directory: string, events: number, synchronous: 'full' | 'normal'): Promise<void> {
  const dataDir = join(directory, 'starvation');
  const config = loadConfig({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'silent', LEDGER_SQLITE_SYNCHRONOUS: synchronous });
  const app = await createHttpApp(config);
  await app.listen(0, '127.0.0.1');
  try {
    const { port } = app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const headers = await bearer(app, 'bench-admin', true);
    const setup = [...benchLines(1, 1)].join('\n');
    const seeded = await fetch(`${base}/alliances/big/imports`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-ndjson' }, body: setup });
    if (seeded.status !== 200) throw new Error(`seeding answered ${seeded.status}`);
    process.stdout.write(`\nSynthesising ${fmt(events)} cost events into one alliance...\n`);
    synthesizeCosts(join(dataDir, 'events.db'), { allianceId: 'big', schemeIds: ['S0'], periodId: '2026-Q1', events, batch: 3 });
    const summary = `${base}/alliances/big/periods/2026-Q1/summary`;
    for (let i = 0; i < 50; i += 1) await (await fetch(summary, { headers })).arrayBuffer();

    const quiet = await sample(base, headers, summary, () => true, 200);
    let replaying = true;
    const asAt = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    const started = Date.now();
    const replay = fetch(`${summary}?explain=true&asAt=${asAt}`, { headers }).then(async (response) => {
      await response.arrayBuffer();
      replaying = false;
      return response.status;
    });
    const loaded = await sample(base, headers, summary, () => replaying, Number.POSITIVE_INFINITY);
    const status = await replay;
    report(`A heavy replay (${fmt(events)} events, explained asAt summary, ${((Date.now() - started) / 1000).toFixed(1)} s, answered ${status})`, [
      ['/health and summary p50 / p99, nothing else running', `${quiet.p50.toFixed(1)} / ${quiet.p99.toFixed(1)} ms over ${quiet.count} requests`],
      ['/health and summary p50 / p99, during the replay (aim p99 < 100)', `${loaded.p50.toFixed(1)} / ${loaded.p99.toFixed(1)} ms over ${loaded.count} requests`],
    ]);
  } finally {
    await app.close();
  }
}

async function sample(base: string, headers: Record<string, string>, summary: string, going: () => boolean, limit: number) {
  const latencies: number[] = [];
  while (going() && latencies.length < limit) {
    const started = process.hrtime.bigint();
    const response = await fetch(latencies.length % 2 === 0 ? `${base}/health` : summary, { headers });
    await response.arrayBuffer();
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? NaN;
  return { p50: at(50), p99: at(99), count: latencies.length };
}
