import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../src/event-store/embedded/sqlite-event-store';
import { report, timed } from './report';

const SCHEMA = `
  CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL, revision INTEGER NOT NULL,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, created TEXT NOT NULL, UNIQUE (stream, revision));`;

const data = { allianceId: 'bench', schemeId: 'S1', periodId: '2026-Q1', costId: 'C', amount: '1234.56', description: null };
const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: 'bench', recordedAt: new Date().toISOString() };

/** Appends to the embedded store against raw inserts into the same table shape, same pragmas, same run. */
export async function benchAppends(directory: string, synchronous: 'full' | 'normal'): Promise<void> {
  const singles = 3000;
  const batches = 300;
  const store = new SqliteEventStore({ path: join(directory, 'appends.db'), synchronous });

  const single = await timed(async () => {
    let revision: bigint | 'no_stream' = 'no_stream';
    for (let index = 0; index < singles; index += 1) {
      revision = (await store.append('bench.single', [{ id: randomUUID(), type: 'DefinedCostRecorded', data, metadata }], { expectedRevision: revision })).nextExpectedRevision;
    }
  });
  const concurrent = await timed(() =>
    Promise.all(
      Array.from({ length: 50 }, async (_, writer) => {
        let revision: bigint | 'no_stream' = 'no_stream';
        for (let index = 0; index < singles / 50; index += 1) {
          revision = (await store.append(`bench.writer-${writer}`, [{ id: randomUUID(), type: 'DefinedCostRecorded', data, metadata }], { expectedRevision: revision })).nextExpectedRevision;
        }
      }),
    ),
  );
  const batched = await timed(async () => {
    let revision: bigint | 'no_stream' = 'no_stream';
    for (let batch = 0; batch < batches; batch += 1) {
      const events = Array.from({ length: 100 }, () => ({ id: randomUUID(), type: 'DefinedCostRecorded', data, metadata }));
      revision = (await store.append('bench.batched', events, { expectedRevision: revision })).nextExpectedRevision;
    }
  });
  await store.close();

  const raw = new Database(join(directory, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  raw.exec(SCHEMA);
  const insert = raw.prepare('INSERT INTO events (event_id, stream, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const row = (stream: string, revision: number) => [randomUUID(), stream, revision, 'DefinedCostRecorded', JSON.stringify(data), JSON.stringify(metadata), new Date().toISOString()];
  const rawSingle = await timed(async () => {
    for (let index = 0; index < singles; index += 1) insert.run(...row('raw.single', index));
  });
  const insertBatch = raw.transaction((start: number) => {
    for (let index = 0; index < 100; index += 1) insert.run(...row('raw.batched', start + index));
  });
  const rawBatched = await timed(async () => {
    for (let batch = 0; batch < batches; batch += 1) insertBatch(batch * 100);
  });
  raw.close();

  const rate = (count: number, seconds: number) => count / seconds;
  const results = {
    singleAppends: rate(singles, single),
    concurrentSingleAppends: rate(singles, concurrent),
    batchedAppends: rate(batches * 100, batched),
    rawSingleInserts: rate(singles, rawSingle),
    rawBatchedInserts: rate(batches * 100, rawBatched),
  };
  report(`Embedded store appends (synchronous=${synchronous})`, [
    ['single-event appends, one writer', `${fmt(results.singleAppends)} events/s`],
    ['single-event appends, 50 writers (group commit)', `${fmt(results.concurrentSingleAppends)} events/s`],
    ['batches of 100', `${fmt(results.batchedAppends)} events/s`],
    ['raw SQLite inserts, one per transaction', `${fmt(results.rawSingleInserts)} rows/s`],
    ['raw SQLite inserts, 100 per transaction', `${fmt(results.rawBatchedInserts)} rows/s`],
    ['single appends / raw single inserts', ratio(results.singleAppends, results.rawSingleInserts)],
    ['batched appends / raw batched inserts (aim ≥ 0.50)', ratio(results.batchedAppends, results.rawBatchedInserts)],
  ]);
}

/** Raw better-sqlite3 inserts into the events table's shape, 100 rows a transaction: the physical baseline for writes. */
export async function rawBatchedInsertRate(path: string, rows: number, synchronous: 'full' | 'normal'): Promise<number> {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  raw.exec(SCHEMA);
  const insert = raw.prepare('INSERT INTO events (event_id, stream, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertBatch = raw.transaction((start: number) => {
    for (let index = 0; index < 100; index += 1) {
      insert.run(randomUUID(), 'raw.batched', start + index, 'DefinedCostRecorded', JSON.stringify(data), JSON.stringify(metadata), new Date().toISOString());
    }
  });
  const seconds = await timed(async () => {
    for (let batch = 0; batch < rows / 100; batch += 1) insertBatch(batch * 100);
  });
  raw.close();
  return rows / seconds;
}

export function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-GB');
}

function ratio(a: number, b: number): string {
  return (a / b).toFixed(2);
}
