import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readPageQuery, SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import { collect, EventFilter } from '../../src/event-store/event-store.port';

/**
 * The history filtered by a rare type must not walk the whole log: the store reads types from
 * the type index, in both directions, alone or with a stream prefix, and an older file gets the
 * index when it is opened.
 */
describe('embedded store: reads filtered by event type', () => {
  let directory: string;
  let path: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ledger-type-index-'));
    path = join(directory, 'events.db');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  /** The history's shapes: the alliance or one of its streams, one type or several, either way from a cursor. */
  const SHAPES: Array<[string, EventFilter]> = [
    ['type alone', { eventTypes: ['SchemeCompleted'] }],
    ['types alone', { eventTypes: ['CompensationEventImplemented', 'SchemeCompleted'] }],
    ['type in the alliance', { streamNamePrefixes: ['ledger.sma.'], eventTypes: ['SchemeCompleted'] }],
    ['types in the alliance', { streamNamePrefixes: ['ledger.sma.'], eventTypes: ['CompensationEventImplemented', 'SchemeCompleted'] }],
    ['types in a scheme', { streamNamePrefixes: ['ledger.sma.scheme.A'], eventTypes: ['DefinedCostRecorded', 'CostDisallowed', 'DefinedCostReversed'] }],
  ];

  function plan(db: Database.Database, backwards: boolean, filter: EventFilter): string[] {
    const { sql, params } = readPageQuery(backwards, filter);
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params(10n), 50) as Array<{ detail: string }>).map((row) => row.detail);
  }

  for (const [shape, filter] of SHAPES) {
    for (const backwards of [true, false]) {
      it(`reads ${shape} ${backwards ? 'backwards (newest first, before a cursor)' : 'forwards (oldest first, after a cursor)'} from the type index, without sorting`, async () => {
        await new SqliteEventStore({ path }).close();
        const db = new Database(path, { readonly: true });
        const steps = plan(db, backwards, filter);
        db.close();
        const searches = steps.filter((step) => step.startsWith('SEARCH') || step.startsWith('SCAN'));
        expect(searches).toHaveLength(filter.eventTypes!.length);
        for (const step of searches) expect(step).toBe(`SEARCH events USING INDEX events_type_position (type=? AND position${backwards ? '<' : '>'}?)`);
        expect(steps.filter((step) => /TEMP B-TREE/.test(step))).toEqual([]);
      });
    }
  }

  it('reads unfiltered, and by stream alone, in log order from the primary key', async () => {
    await new SqliteEventStore({ path }).close();
    const db = new Database(path, { readonly: true });
    expect(plan(db, true, {})).toEqual(['SEARCH events USING INTEGER PRIMARY KEY (rowid<?)']);
    expect(plan(db, false, { streamNamePrefixes: ['ledger.sma.'] })).toEqual(['SEARCH events USING INTEGER PRIMARY KEY (rowid>?)']);
    db.close();
  });

  it('adds the index to a file written before it existed, keeping its events', async () => {
    const old = new Database(path);
    old.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL, revision INTEGER NOT NULL,
      type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, created TEXT NOT NULL, UNIQUE (stream, revision));
      CREATE TABLE streams (name TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID;`);
    const insert = old.prepare('INSERT INTO events (event_id, stream, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)');
    ['A', 'B', 'A', 'C'].forEach((type, revision) => insert.run(`e${revision}`, 'ledger.sma.periods', revision, type, '{}', '{}', new Date().toISOString()));
    old.prepare('INSERT INTO streams (name, revision) VALUES (?, ?)').run('ledger.sma.periods', 3);
    expect(old.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'events_type_position'").all()).toEqual([]);
    old.close();

    const store = new SqliteEventStore({ path });
    const found = await collect(store.readAll({ direction: 'backwards', fromPosition: 'end', filter: { eventTypes: ['A', 'C'] } }));
    expect(found.map((event) => [event.position.commit, event.type])).toEqual([
      [4n, 'C'],
      [3n, 'A'],
      [1n, 'A'],
    ]);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'events_type_position'").get()).toEqual({ sql: expect.stringContaining('(type, position)') });
    db.close();
  });

  it('merges several types in log order both ways, each event once, a page cut at maxCount', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const types = ['A', 'B', 'C', 'A', 'A', 'C', 'B', 'D', 'C', 'A'];
    await store.append('ledger.sma.scheme.A', types.slice(0, 5).map((type, index) => ({ type, data: { index } })), { expectedRevision: 'no_stream' });
    await store.append('ledger.other.scheme.A', [{ type: 'A', data: { index: 'elsewhere' } }], { expectedRevision: 'no_stream' });
    await store.append('ledger.sma.periods', types.slice(5).map((type, index) => ({ type, data: { index: index + 5 } })), { expectedRevision: 'no_stream' });
    const read = async (options: Parameters<SqliteEventStore['readAll']>[0]) => (await collect(store.readAll(options))).map((event) => event.data.index);
    const filter = { streamNamePrefixes: ['ledger.sma.'], eventTypes: ['C', 'A', 'C'] };
    expect(await read({ filter })).toEqual([0, 2, 3, 4, 5, 8, 9]);
    expect(await read({ filter, direction: 'backwards', fromPosition: 'end' })).toEqual([9, 8, 5, 4, 3, 2, 0]);
    expect(await read({ filter, maxCount: 3 })).toEqual([0, 2, 3]);
    const all = await collect(store.readAll());
    expect(await read({ filter, direction: 'backwards', fromPosition: all[7].position, maxCount: 2 })).toEqual([5, 4]);
    expect(await read({ filter, fromPosition: all[6].position })).toEqual([5, 8, 9]);
    expect(await store.headPosition({ eventTypes: ['B', 'D'] })).toEqual(all[8].position);
    await store.close();
  });

  it('reads a long list of types in log order, testing each row', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    await store.append('ledger.sma.periods', ['A', 'B', 'A'].map((type, index) => ({ type, data: { index } })), { expectedRevision: 'no_stream' });
    const many = ['A', ...Array.from({ length: 600 }, (_, index) => `Unknown${index}`)];
    expect((await collect(store.readAll({ filter: { eventTypes: many } }))).map((event) => event.data.index)).toEqual([0, 2]);
    expect(readPageQuery(false, { eventTypes: many }).sql).not.toContain('UNION');
    await store.close();
  });
});
