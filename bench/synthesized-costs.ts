import Database from 'better-sqlite3';
import { CommandCatalogue } from '../src/commanding/command-catalogue';
import { SqliteEventStore } from '../src/event-store/embedded/sqlite-event-store';
import { ImportSession, linesOf } from '../src/imports/import-session';
import { LedgerHistory } from '../src/settlement/queries/ledger-history';
import { systemClock } from '../src/shared/clock';
import { streamNames } from '../src/shared/stream-names';
import { benchLines } from './ledger-lines';

export const schemeIds = (schemes: number): string[] => Array.from({ length: schemes }, (_, scheme) => `S${scheme}`);

/**
 * The bench alliance through the ordinary import, in a new embedded store at `path`: its partners,
 * the AFR KPI, period 2026-Q1 open, `schemes` schemes registered with target baselines and each
 * marked complete (so the history holds more than one event type).
 */
export async function importSetup(path: string, schemes: number): Promise<void> {
  const setup = [...benchLines(schemes, 0)];
  for (const schemeId of schemeIds(schemes)) setup.push(JSON.stringify({ command: 'CompleteScheme', data: { schemeId, periodId: '2026-Q1' } }));
  const store = new SqliteEventStore({ path, synchronous: 'normal' });
  try {
    const seeded = await new ImportSession({ store, catalogue: new CommandCatalogue(), services: new LedgerHistory(store, systemClock), clock: systemClock }, 'bench', {
      importId: 'bench-setup',
      actor: 'bench',
    }).run(linesOf(setup.join('\n')));
    if (seeded.error) throw new Error(seeded.error.message);
  } finally {
    await store.close();
  }
}

export interface SynthesizedCosts {
  allianceId: string;
  /** The schemes' streams take the events in turn; each stream must exist already. */
  schemeIds: readonly string[];
  periodId: string;
  events: number;
  /** Tells this batch's event, command and cost ids apart from another batch's in the same store. */
  batch: number;
}

/**
 * `DefinedCostRecorded` events, of the shape and metadata the service writes, inserted into the
 * embedded store's tables by SQLite itself (one INSERT … SELECT over a generated series), after
 * the streams' current ends: 10M events in one to two minutes on the 2-core VM, where the store
 * port took six minutes idle and 45 under load. A fixture for the benches, not a way to write a ledger: these events have no digests, so
 * `ledger verify` would report every one of them, and nothing checks them against the scheme's
 * state as an import would. Another connection may have the store open (WAL): its readers and
 * subscriptions see the events when the transaction commits.
 */
export function synthesizeCosts(path: string, fill: SynthesizedCosts): { seconds: number; events: number } {
  const db = new Database(path);
  db.pragma('busy_timeout = 60000');
  db.pragma('cache_size = -262144');
  try {
    const streams = fill.schemeIds.map((schemeId, index) => {
      const name = streamNames.scheme(fill.allianceId, schemeId);
      const row = db.prepare('SELECT revision FROM streams WHERE name = ?').safeIntegers(true).get(name) as { revision: bigint } | undefined;
      if (!row) throw new Error(`synthesizeCosts: stream ${name} does not exist`);
      return { index, name, schemeId, revision: row.revision };
    });
    const count = BigInt(streams.length);
    const recordedAt = new Date().toISOString();
    const started = process.hrtime.bigint();
    {
      db.transaction(() => {
        db.exec('CREATE TEMP TABLE IF NOT EXISTS synthesized_streams (k INTEGER PRIMARY KEY, name TEXT NOT NULL, scheme TEXT NOT NULL, revision INTEGER NOT NULL)');
        db.exec('DELETE FROM synthesized_streams');
        const stream = db.prepare('INSERT INTO synthesized_streams (k, name, scheme, revision) VALUES (?, ?, ?, ?)');
        for (const { index, name, schemeId, revision } of streams) stream.run(index, name, schemeId, revision);
        db.prepare(
          `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
           INSERT INTO events (event_id, stream, revision, type, data, metadata, created)
           SELECT printf('%08x-0000-4000-8000-%012x', ?, i), s.name, s.revision + i / ? + 1, 'DefinedCostRecorded',
                  '{"allianceId":"' || ? || '","schemeId":"' || s.scheme || '","periodId":"' || ? || '","costId":"SYN-' || ? || '-' || i
                    || '","amount":"' || printf('%d.%02d', 1 + i % 9000, i % 100) || '","description":null}',
                  '{"command":"RecordDefinedCost","commandId":"syn-' || ? || '-' || i || '","correlationId":"bench","causationId":"bench","actor":"bench",'
                    || '"recordedAt":"' || ? || '"}',
                  ?
           FROM n JOIN synthesized_streams s ON s.k = n.i % ?`,
        ).run(fill.events, fill.batch, count, fill.allianceId, fill.periodId, fill.batch, fill.batch, recordedAt, recordedAt, count);
        db.prepare(
          `UPDATE streams SET revision = (SELECT max(revision) FROM events WHERE events.stream = streams.name)
           WHERE name IN (SELECT name FROM synthesized_streams)`,
        ).run();
      }).immediate();
      // Into the database file, so whoever opens it next does not start with a WAL of the whole fill.
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, events: fill.events };
  } finally {
    db.close();
  }
}

/**
 * A new store at `path` holding the bench alliance (importSetup) and about `events` cost events
 * across its schemes, synthesised straight into the store's tables.
 */
export async function synthesizeBenchAlliance(path: string, events: number, schemes = 50): Promise<{ seconds: number; events: number }> {
  await importSetup(path, schemes);
  return synthesizeCosts(path, { allianceId: 'bench', schemeIds: schemeIds(schemes), periodId: '2026-Q1', events, batch: 1 });
}
