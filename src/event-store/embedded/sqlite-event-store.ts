import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  AppendResult,
  EventFilter,
  EventIdConflictError,
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  FromPosition,
  InvalidPositionError,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  Subscription,
  SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { checkNewEvents } from '../new-events';
import { DigestTable, RawEventRow, RecordedEvent } from './digest-table';

export interface SqliteEventStoreOptions {
  /** File path, or `:memory:`. */
  path: string;
  /** `full` survives power loss; `normal` survives a process crash. */
  synchronous?: 'full' | 'normal';
  /** How often an idle subscription looks for events written by another process. */
  pollIntervalMs?: number;
}

/** A row of the events table (the digest table verifies the same rows, unparsed). */
type EventRow = RawEventRow;

interface PendingAppend {
  streamName: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

const PAGE_SIZE = 1000;
/** The connection's page cache, in KiB (SQLite's own default is 2,000). */
const CACHE_KIB = 64 * 1024;
/** Rows per INSERT statement; 7 values each stays far below SQLite's limit on bound parameters. */
const INSERT_CHUNK = 50;

/**
 * Each type's events in log order: a read filtered by type walks only that type's entries, in
 * either direction from a cursor, instead of the whole log. Created on open, so a file written
 * before it existed gets it too (once: about a second per million events).
 */
const TYPE_INDEX = 'events_type_position';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    stream TEXT NOT NULL,
    revision INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created TEXT NOT NULL,
    UNIQUE (stream, revision)
  );
  CREATE TABLE IF NOT EXISTS streams (
    name TEXT PRIMARY KEY,
    revision INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ${TYPE_INDEX} ON events (type, position);
`;

/**
 * The embedded default: one SQLite file in WAL mode. Positions are the table's rowid, which is
 * gap-free because events are never deleted and a rolled-back insert leaves no row. Appends
 * arriving in the same tick share one transaction (group commit), each in its own savepoint so a
 * refused append does not undo its neighbours.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly inserts = new Map<number, Database.Statement>();
  /** Counts committed groups, so a subscription can tell it missed a wake-up while busy. */
  private commits = 0;
  /** See headSequence. */
  private headThisTurn: bigint | undefined;
  private closed = false;
  private readonly statements;
  private readonly filteredReads = new Map<string, Database.Statement>();
  /** The newest event matching a filter, and the log's head when it was looked up (see headPosition). */
  private readonly filteredHeads = new Map<string, { head: bigint; position: Position | null }>();
  private readonly writeGroup: Database.Transaction<(batch: PendingAppend[], outcomes: Outcome[]) => void>;
  private readonly appendOne: (request: PendingAppend) => AppendResult;
  /** Each ledger event's leaf in its alliance's Merkle tree, written with the event (src/integrity). */
  readonly digests: DigestTable;

  constructor(options: SqliteEventStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    // SQLite's default page cache is 2 MB: past a few million events, every insert into the
    // event-id index (random UUIDs) then reads its B-tree pages from the file again.
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    this.db.exec(SCHEMA);
    this.digests = new DigestTable(this.db);
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.appended.setMaxListeners(0);

    const select = 'SELECT position, event_id, stream, revision, type, data, metadata, created FROM events';
    this.statements = {
      streamRevision: this.db.prepare('SELECT revision FROM streams WHERE name = ?').safeIntegers(true),
      eventById: this.db.prepare('SELECT position, stream, revision FROM events WHERE event_id = ?').safeIntegers(true),
      upsertStream: this.db.prepare(
        'INSERT INTO streams (name, revision) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET revision = excluded.revision',
      ),
      streamForwards: this.db.prepare(`${select} WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`).safeIntegers(true),
      streamBackwards: this.db.prepare(`${select} WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`).safeIntegers(true),
      head: this.db.prepare('SELECT max(position) AS position FROM events').safeIntegers(true),
    };
    this.appendOne = this.db.transaction((request: PendingAppend) => this.write(request));
    this.writeGroup = this.db.transaction((batch: PendingAppend[], outcomes: Outcome[]) => {
      for (const request of batch) {
        try {
          outcomes.push({ ok: true, result: this.appendOne(request) });
        } catch (error) {
          if (!isRefusal(error)) throw error;
          outcomes.push({ ok: false, error });
        }
      }
    });
  }

  append(streamName: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('The embedded event store is closed'));
    checkNewEvents(streamName, events);
    return new Promise((resolve, reject) => {
      this.queue.push({ streamName, events, expectedRevision: options.expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let next: bigint;
    if (options.fromRevision === undefined || options.fromRevision === 'start') next = backwards ? -1n : 0n;
    else if (options.fromRevision === 'end') next = backwards ? this.currentRevision(streamName) : this.currentRevision(streamName) + 1n;
    else next = options.fromRevision;
    const statement = backwards ? this.statements.streamBackwards : this.statements.streamForwards;
    while (remaining > 0 && next >= 0n) {
      const rows = statement.all(streamName, next, Math.min(PAGE_SIZE, remaining)) as EventRow[];
      for (const row of rows) yield toStoredEvent(row);
      if (rows.length < PAGE_SIZE) return;
      remaining -= rows.length;
      next = backwards ? rows[rows.length - 1].revision - 1n : rows[rows.length - 1].revision + 1n;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const from = options.fromPosition;
    checkPosition(from);
    // Forwards reads are inclusive of `from`, backwards reads exclusive, as in EventStoreDB.
    let bound: bigint;
    if (from === undefined || from === 'start') bound = backwards ? 0n : 1n;
    else if (from === 'end') bound = this.headSequence() + 1n;
    else bound = from.commit;
    while (remaining > 0) {
      const rows = this.readPage(bound, backwards, Math.min(PAGE_SIZE, remaining), options.filter);
      for (const row of rows) yield toStoredEvent(row);
      if (rows.length < Math.min(PAGE_SIZE, remaining)) return;
      remaining -= rows.length;
      const last = rows[rows.length - 1].position;
      bound = backwards ? last : last + 1n;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const from = options.fromPosition;
    let after = from === undefined || from === 'start' ? 0n : from.commit;
    let stopped = false;
    let wake: (() => void) | undefined;
    const onAppended = () => wake?.();
    this.appended.on('appended', onAppended);
    const store = this;

    async function* deliver(): AsyncGenerator<StoredEvent> {
      try {
        checkPosition(from);
        while (!stopped && !store.closed) {
          const commitsSeen = store.commits;
          const head = store.headSequence();
          const rows = head > after ? store.readRange(after, head, PAGE_SIZE, options.filter) : [];
          for (const row of rows) {
            if (stopped) return;
            after = row.position;
            yield toStoredEvent(row);
          }
          if (rows.length === PAGE_SIZE) continue;
          after = head > after ? head : after;
          if (store.commits !== commitsSeen) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, store.pollIntervalMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
      } finally {
        store.appended.off('appended', onAppended);
      }
    }

    const iterator = deliver();
    return {
      [Symbol.asyncIterator]: () => iterator,
      stop: async () => {
        stopped = true;
        wake?.();
        await iterator.return(undefined);
      },
    };
  }

  /** The log's last position (max rowid: gap-free, and never lowered, as nothing is deleted). */
  localHead(): bigint {
    return this.headSequence();
  }

  async headPosition(filter?: EventFilter): Promise<Position | null> {
    if (!filter) {
      const head = this.headSequence();
      return head > 0n ? { commit: head, prepare: head } : null;
    }
    // Reads ask this before answering (read-your-writes), so the filtered search runs only when
    // the log has grown since the last one: nothing is deleted and positions only rise, so an
    // unchanged head (also after another process's writes) means an unchanged answer.
    const head = this.headSequence();
    const key = JSON.stringify([filter.streamNamePrefixes ?? null, filter.eventTypes ?? null]);
    const known = this.filteredHeads.get(key);
    if (known && known.head === head) return known.position;
    const [row] = this.readPage(head + 1n, true, 1, filter);
    const position = row ? { commit: row.position, prepare: row.position } : null;
    if (this.filteredHeads.size >= 64) this.filteredHeads.clear();
    this.filteredHeads.set(key, { head, position });
    return position;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new EventStoreUnavailableError('The embedded event store is closed');
    try {
      this.statements.head.get();
    } catch (error) {
      throw new EventStoreUnavailableError(`The embedded event store cannot be read: ${(error as Error).message}`, error);
    }
  }

  /** An online copy of the whole file through SQLite's backup API: writers carry on meanwhile. */
  async backup(destination: string): Promise<void> {
    await this.db.backup(destination);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    this.appended.emit('appended');
    this.db.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      this.writeGroup.immediate(batch, outcomes);
    } catch (error) {
      const failure = new EventStoreUnavailableError(`The embedded event store could not write: ${(error as Error).message}`, error);
      for (const request of batch) request.reject(failure);
      return;
    }
    this.headThisTurn = undefined;
    batch.forEach((request, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) request.resolve(outcome.result);
      else request.reject(outcome.error);
    });
    this.commits += 1;
    this.appended.emit('appended');
  }

  private write(request: PendingAppend): AppendResult {
    const { streamName, events, expectedRevision } = request;
    const current = this.currentRevision(streamName);
    const retried = this.findRetriedAppend(streamName, events, expectedRevision);
    if (retried) return retried;
    if (!revisionMatches(expectedRevision, current)) {
      throw new WrongExpectedRevisionError(streamName, expectedRevision, current < 0n ? 'no_stream' : current);
    }
    const created = new Date().toISOString();
    let revision = current;
    let position = 0n;
    let firstPosition: bigint | undefined;
    const written: RecordedEvent[] = [];
    // Rows go in several at a time: one statement per chunk costs less than one per event.
    for (let start = 0; start < events.length; start += INSERT_CHUNK) {
      const chunk = events.slice(start, start + INSERT_CHUNK);
      const values: unknown[] = [];
      for (const event of chunk) {
        revision += 1n;
        const metadata = event.metadata ?? {};
        const row = { id: event.id ?? randomUUID(), revision, type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(metadata), values: { data: event.data, metadata } };
        written.push(row);
        values.push(row.id, streamName, revision, row.type, row.data, row.metadata, created);
      }
      try {
        position = BigInt(this.insertStatement(chunk.length).run(...values).lastInsertRowid);
        firstPosition ??= position - BigInt(chunk.length - 1);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /event_id/.test((error as Error).message)) {
          throw new EventIdConflictError(streamName, chunk.find((event) => event.id && this.statements.eventById.get(event.id))?.id ?? '?');
        }
        throw error;
      }
    }
    this.statements.upsertStream.run(streamName, revision);
    this.digests.record(streamName, firstPosition!, written);
    return { nextExpectedRevision: revision, position: { commit: position, prepare: position } };
  }

  /**
   * The port's rules on reused ids, as EventStoreDB applies them. When the first id is already in
   * this stream where the expected revision puts it (anywhere, for `any` and `stream_exists`), the
   * batch is a retry if it repeats those events in order, and partly duplicate otherwise. Any other
   * reuse is judged by the expected revision, then trips the unique index, which the caller turns
   * into an EventIdConflictError.
   */
  private findRetriedAppend(streamName: string, events: readonly NewEvent[], expected: ExpectedRevision): AppendResult | undefined {
    const firstId = events[0].id;
    type Found = { position: bigint; stream: string; revision: bigint } | undefined;
    const first = firstId === undefined ? undefined : (this.statements.eventById.get(firstId) as Found);
    if (!first || first.stream !== streamName) return undefined;
    const placed = expected === 'any' || expected === 'stream_exists' || (expected === 'no_stream' ? -1n : expected) === first.revision - 1n;
    if (!placed) return undefined;
    const found = events.map((event) => (event.id === undefined ? undefined : (this.statements.eventById.get(event.id) as Found)));
    const isSameAppend = found.every((row, index) => row !== undefined && row.stream === streamName && row.revision === first.revision + BigInt(index));
    if (!isSameAppend) throw new EventIdConflictError(streamName, firstId!);
    const last = found[found.length - 1]!;
    return { nextExpectedRevision: last.revision, position: { commit: last.position, prepare: last.position }, retried: true };
  }

  private insertStatement(rows: number): Database.Statement {
    let statement = this.inserts.get(rows);
    if (!statement) {
      const placeholders = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
      statement = this.db.prepare(`INSERT INTO events (event_id, stream, revision, type, data, metadata, created) VALUES ${placeholders}`);
      this.inserts.set(rows, statement);
    }
    return statement;
  }

  private currentRevision(streamName: string): bigint {
    const row = this.statements.streamRevision.get(streamName) as { revision: bigint } | undefined;
    return row ? row.revision : -1n;
  }

  /**
   * The log's last position, looked up once per turn of the event loop: each statement starts a
   * read transaction, which in WAL mode takes and drops a lock on the shared-memory file, and a
   * guarded read asked this four times (about a tenth of its CPU). Within one turn the answer
   * is as fresh as a lookup a few microseconds earlier; this process's own commits clear it at
   * once (flush), another process's show from the next turn. It is never ahead of the log:
   * positions only rise.
   */
  private headSequence(): bigint {
    if (this.headThisTurn === undefined) {
      const row = this.statements.head.get() as { position: bigint | null };
      this.headThisTurn = row.position ?? 0n;
      setImmediate(this.forgetHead);
    }
    return this.headThisTurn;
  }

  private readonly forgetHead = (): void => {
    this.headThisTurn = undefined;
  };

  /** Events with position in [bound, …) forwards or (…, bound) backwards. */
  private readPage(bound: bigint, backwards: boolean, limit: number, filter?: EventFilter): EventRow[] {
    const { sql, params } = readPageQuery(backwards, filter);
    let statement = this.filteredReads.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).safeIntegers(true);
      this.filteredReads.set(sql, statement);
    }
    return statement.all(...params(bound), limit) as EventRow[];
  }

  /** Events with position in (after, upTo], oldest first. */
  private readRange(after: bigint, upTo: bigint, limit: number, filter?: EventFilter): EventRow[] {
    return this.readPage(after + 1n, false, limit, filter).filter((row) => row.position <= upTo);
  }
}

const COLUMNS = 'position, event_id, stream, revision, type, data, metadata, created';

/**
 * More types than this are read in log order, testing each row's type: one arm per type would
 * pass SQLite's limit on a compound SELECT (500), and so many types are most of the log anyway.
 */
const MAX_INDEXED_TYPES = 50;

/**
 * The SQL of one page of a filtered read, and its parameters before the LIMIT.
 *
 * Without a type, the log is read in position order and filtered as it goes. `+stream` keeps
 * SQLite from using the (stream, revision) index for a prefix range, which would make it sort
 * every match to return one page.
 *
 * With types, each type is read from the type index in position order and the arms are merged
 * (a UNION ALL under the ORDER BY: SQLite merges the arms as co-routines and stops at the LIMIT),
 * so a page costs the rows it returns, however rare the types. `type IN (…)` would not do: over
 * the index it loses the order and sorts every match in a temporary B-tree, which for a common
 * type is the whole log per page.
 */
export function readPageQuery(backwards: boolean, filter?: EventFilter): { sql: string; params: (bound: bigint) => unknown[] } {
  const order = `ORDER BY position ${backwards ? 'DESC' : 'ASC'} LIMIT ?`;
  const range = backwards ? 'position < ?' : 'position >= ?';
  const { clause: streams, params: streamParams } = streamClause(filter?.streamNamePrefixes);
  const types = filter?.eventTypes === undefined ? undefined : [...new Set(filter.eventTypes)];
  if (types === undefined || types.length === 0 || types.length > MAX_INDEXED_TYPES) {
    const typeClause = types === undefined ? '' : types.length === 0 ? ' AND 0' : ` AND +type IN (${types.map(() => '?').join(', ')})`;
    return { sql: `SELECT ${COLUMNS} FROM events WHERE ${range}${streams}${typeClause} ${order}`, params: (bound) => [bound, ...streamParams, ...(types ?? [])] };
  }
  const arm = `SELECT ${COLUMNS} FROM events INDEXED BY ${TYPE_INDEX} WHERE type = ? AND ${range}${streams}`;
  return {
    sql: `${types.map(() => arm).join(' UNION ALL ')} ${order}`,
    params: (bound) => types.flatMap((type) => [type, bound, ...streamParams]),
  };
}

/** Streams starting with one of the prefixes, as a range per prefix (see readPageQuery on `+stream`). */
function streamClause(prefixes: string[] | undefined): { clause: string; params: string[] } {
  if (!prefixes) return { clause: '', params: [] };
  if (prefixes.length === 0) return { clause: ' AND 0', params: [] };
  return {
    clause: ` AND (${prefixes.map(() => '(+stream >= ? AND +stream < ?)').join(' OR ')})`,
    params: prefixes.flatMap((prefix) => [prefix, prefixUpperBound(prefix)]),
  };
}

/** The smallest string greater than every string starting with `prefix`. */
function prefixUpperBound(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function revisionMatches(expected: ExpectedRevision, current: bigint): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current < 0n;
    case 'stream_exists':
      return current >= 0n;
    default:
      return expected === current;
  }
}

function isRefusal(error: unknown): boolean {
  return error instanceof WrongExpectedRevisionError || error instanceof EventIdConflictError;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    streamName: row.stream,
    revision: row.revision,
    position: { commit: row.position, prepare: row.position },
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    created: new Date(row.created),
  };
}

/** The store's positions use one sequence for both parts: a pair that differs was never given out here (a checkpoint from EventStoreDB, say). */
function checkPosition(from: FromPosition | undefined): void {
  if (typeof from === 'object' && from.commit !== from.prepare) throw new InvalidPositionError(from, 'this store gives its commit and prepare parts the same number');
}
