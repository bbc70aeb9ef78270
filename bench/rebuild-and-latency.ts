import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createHttpApp } from '../src/app';
import { loadConfig } from '../src/config/app-config';
import { CommandCatalogue } from '../src/commanding/command-catalogue';
import { SqliteEventStore } from '../src/event-store/embedded/sqlite-event-store';
import { ImportSession, linesOf } from '../src/imports/import-session';
import { LedgerHistory } from '../src/settlement/queries/ledger-history';
import { SettlementProjector } from '../src/settlement/read-models/settlement-projector';
import { systemClock } from '../src/shared/clock';
import { streamNames } from '../src/shared/stream-names';
import { fmt } from './appends';
import { bearer } from './auth';
import { percentile } from './http-load';
import { benchLines } from './ledger-lines';
import { report, timed } from './report';

const SCHEMES = 50;
const BATCH = 5_000;

/**
 * An alliance of `events` events written straight through the store port (the import path would
 * take an hour at 10M): the setup through the ordinary import, then cost lines in batches across
 * the schemes' streams, with the metadata the service records.
 */
export async function synthesizeLedger(path: string, events: number): Promise<{ seconds: number; events: number }> {
  // The fill is not what is measured: it survives a process crash, not power loss.
  const store = new SqliteEventStore({ path, synchronous: 'normal' });
  const setup = [...benchLines(SCHEMES, 0)];
  for (let scheme = 0; scheme < SCHEMES; scheme += 1) setup.push(JSON.stringify({ command: 'CompleteScheme', data: { schemeId: `S${scheme}`, periodId: '2026-Q1' } }));
  const seeded = await new ImportSession({ store, catalogue: new CommandCatalogue(), services: new LedgerHistory(store, systemClock), clock: systemClock }, 'bench', {
    importId: 'bench-setup',
    actor: 'bench',
  }).run(linesOf(setup.join('\n')));
  if (seeded.error) throw new Error(seeded.error.message);
  const revisions = new Map<string, bigint>();
  for (let scheme = 0; scheme < SCHEMES; scheme += 1) {
    for await (const event of store.readStream(streamNames.scheme('bench', `S${scheme}`), { direction: 'backwards', fromRevision: 'end', maxCount: 1 })) revisions.set(`S${scheme}`, event.revision);
  }
  let written = 0;
  const seconds = await timed(async () => {
    while (written < events) {
      // One batch per scheme in the same tick: the store writes them in one transaction (group commit).
      const round: Array<Promise<void>> = [];
      for (let scheme = 0; scheme < SCHEMES && written < events; scheme += 1) {
        const schemeId = `S${scheme}`;
        const count = Math.min(BATCH, events - written);
        const from = written;
        written += count;
        round.push(appendCosts(store, schemeId, from, count, revisions));
      }
      await Promise.all(round);
      if (written % 1_000_000 < BATCH * SCHEMES) process.stdout.write(`  ${fmt(written)} events written\n`);
    }
  });
  await store.close();
  return { seconds, events: written };
}

async function appendCosts(store: SqliteEventStore, schemeId: string, from: number, count: number, revisions: Map<string, bigint>): Promise<void> {
  const recordedAt = new Date().toISOString();
  const batch = Array.from({ length: count }, (_, index) => {
    const line = from + index;
    return {
      id: randomUUID(),
      type: 'DefinedCostRecorded',
      data: { allianceId: 'bench', schemeId, periodId: '2026-Q1', costId: `SYN-${line}`, amount: `${1 + (line % 9000)}.${String(line % 100).padStart(2, '0')}`, description: null },
      metadata: { command: 'RecordDefinedCost', commandId: `syn-${line}`, correlationId: 'bench', causationId: 'bench', actor: 'bench', recordedAt },
    };
  });
  const result = await store.append(streamNames.scheme('bench', schemeId), batch, { expectedRevision: revisions.get(schemeId)! });
  revisions.set(schemeId, result.nextExpectedRevision);
}

/** With `events` events in the embedded store: fill, rebuild speed and memory, then the period summary's latency over HTTP. */
export async function benchRebuildAndLatency(directory: string, events: number, synchronous: 'full' | 'normal'): Promise<void> {
  process.stdout.write(`\nFilling the embedded store with ${fmt(events)} events through the store port...\n`);
  const filled = await synthesizeLedger(join(directory, 'events.db'), events);

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
      ['fill through the store port, 50 batches of 5,000 a transaction, synchronous=normal', `${fmt(filled.events / filled.seconds)} events/s (${filled.seconds.toFixed(0)} s)`],
      ['rebuild time', `${seconds.toFixed(1)} s`],
      ['rebuild rate (aim > 50,000)', `${fmt(rebuilt.events / seconds)} events/s`],
      ['peak RSS of the bench process (aim ≤ 1.5 GB)', `${fmt(peak / 2 ** 20)} MB (${fmt(before / 2 ** 20)} MB before the rebuild)`],
      ['period summary p50 over 200 requests', `${percentile(latencies, 50).toFixed(2)} ms`],
      ['period summary p99 over 200 requests (aim < 20)', `${percentile(latencies, 99).toFixed(2)} ms`],
    ]);
  } finally {
    await app.close();
  }
}
