import Database from 'better-sqlite3';
import { eventLeafHash } from '../../integrity/event-leaf';
import { MerkleFrontier } from '../../integrity/merkle';
import { allianceOfStream } from '../../shared/stream-names';

/** One event's digest as it was recorded when the event was appended. */
export interface DigestRecord {
  position: bigint;
  leafIndex: number;
  leaf: string;
  eventId: string;
  stream: string;
  revision: bigint;
  type: string;
}

/** An event being recorded: its text as stored, and the values it was written from when it was appended just now. */
export interface RecordedEvent {
  id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  values?: { data: unknown; metadata: unknown };
}

/** An event row as stored, text and all, for verification that must survive a row that no longer parses. */
export interface RawEventRow {
  position: bigint;
  event_id: string;
  stream: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  created: string;
}

export const DIGEST_SCHEMA = `
  CREATE TABLE IF NOT EXISTS event_digests (
    position INTEGER PRIMARY KEY,
    alliance TEXT NOT NULL,
    leaf_index INTEGER NOT NULL,
    leaf TEXT NOT NULL,
    event_id TEXT NOT NULL,
    stream TEXT NOT NULL,
    revision INTEGER NOT NULL,
    type TEXT NOT NULL,
    UNIQUE (alliance, leaf_index)
  );
  CREATE TABLE IF NOT EXISTS digest_heads (
    alliance TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    frontier TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS digest_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
`;

const ROWS_PER_INSERT = 100;

/**
 * Each ledger event's leaf hash and place in its alliance's Merkle tree, written in the same
 * transaction as the event (docs/integrity.md). `ledger verify` compares them with what the rows
 * hold now, which is how it names the first event edited, deleted, moved or slipped in.
 */
export class DigestTable {
  private readonly statements;
  private readonly inserts = new Map<number, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    db.exec(DIGEST_SCHEMA);
    this.statements = {
      head: db.prepare('SELECT size, frontier FROM digest_heads WHERE alliance = ?'),
      upsertHead: db.prepare('INSERT INTO digest_heads (alliance, size, frontier) VALUES (?, ?, ?) ON CONFLICT (alliance) DO UPDATE SET size = excluded.size, frontier = excluded.frontier'),
      records: db
        .prepare('SELECT position, leaf_index, leaf, event_id, stream, revision, type FROM event_digests WHERE alliance = ? AND leaf_index >= ? ORDER BY leaf_index LIMIT ?')
        .safeIntegers(true),
      rows: db
        .prepare(
          `SELECT position, event_id, stream, revision, type, data, metadata, created FROM events
           WHERE position > ? AND +stream >= ? AND +stream < ? ORDER BY position LIMIT ?`,
        )
        .safeIntegers(true),
      meta: db.prepare('SELECT value FROM digest_meta WHERE key = ?'),
      setMeta: db.prepare('INSERT OR REPLACE INTO digest_meta (key, value) VALUES (?, ?)'),
      unrecorded: db
        .prepare(`SELECT position, event_id, stream, revision, type, data, metadata, created FROM events WHERE position > ? AND stream >= 'ledger.' AND stream < 'ledger/' ORDER BY position LIMIT 1000`)
        .safeIntegers(true),
    };
    this.recordExistingEventsOnce();
  }

  /**
   * Records the digests of events just inserted (one stream, consecutive positions), inside the
   * append's transaction. An event appended just now brings the values its text was written from
   * (`values`), which give the same canonical text (src/shared/canonical-json.ts) without reading
   * the text back; one already stored is read from its text.
   */
  record(stream: string, firstPosition: bigint, events: ReadonlyArray<RecordedEvent>): void {
    const alliance = allianceOfStream(stream);
    if (alliance === undefined) return;
    const head = this.statements.head.get(alliance) as { size: number; frontier: string } | undefined;
    const frontier = head ? MerkleFrontier.restore(head.size, head.frontier) : MerkleFrontier.empty();
    for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
      const chunk = events.slice(start, start + ROWS_PER_INSERT);
      const values: unknown[] = [];
      chunk.forEach((event, offset) => {
        const data = event.values ? event.values.data : JSON.parse(event.data);
        const metadata = event.values ? event.values.metadata : JSON.parse(event.metadata);
        const leaf = eventLeafHash({ id: event.id, streamName: stream, revision: event.revision, type: event.type, data, metadata });
        values.push(firstPosition + BigInt(start + offset), alliance, frontier.size, leaf.toString('hex'), event.id, stream, event.revision, event.type);
        frontier.append(leaf);
      });
      this.insertStatement(chunk.length).run(...values);
    }
    this.statements.upsertHead.run(alliance, frontier.size, frontier.serialize());
  }

  /** The recorded digests of an alliance, in tree order. */
  *records(allianceId: string): Iterable<DigestRecord> {
    let from = 0;
    for (;;) {
      const rows = this.statements.records.all(allianceId, from, 1000) as Array<{ position: bigint; leaf_index: bigint; leaf: string; event_id: string; stream: string; revision: bigint; type: string }>;
      for (const row of rows) {
        yield { position: row.position, leafIndex: Number(row.leaf_index), leaf: row.leaf, eventId: row.event_id, stream: row.stream, revision: row.revision, type: row.type };
      }
      if (rows.length < 1000) return;
      from = Number(rows[rows.length - 1].leaf_index) + 1;
    }
  }

  /** The alliance's event rows as stored, in log order, unparsed. */
  *rawRows(allianceId: string): Iterable<RawEventRow> {
    const prefix = `ledger.${allianceId}.`;
    const upper = `ledger.${allianceId}/`;
    let after = 0n;
    for (;;) {
      const rows = this.statements.rows.all(after, prefix, upper, 1000) as RawEventRow[];
      yield* rows;
      if (rows.length < 1000) return;
      after = rows[rows.length - 1].position;
    }
  }

  /** Every alliance with events or recorded digests, whatever the rows now hold. */
  alliances(): string[] {
    const streams = this.db.prepare(`SELECT DISTINCT stream FROM events WHERE stream >= 'ledger.' AND stream < 'ledger/'`).pluck().all() as string[];
    const recorded = this.db.prepare('SELECT alliance FROM digest_heads').pluck().all() as string[];
    return [...new Set([...recorded, ...streams.map((stream) => allianceOfStream(stream)).filter((id): id is string => id !== undefined)])].sort();
  }

  /** Where the records begin to be first-hand: events before this position were recorded when the table was added. */
  recordedSince(): bigint {
    const row = this.statements.meta.get('recorded_since') as { value: string } | undefined;
    return row ? BigInt(row.value) : 0n;
  }

  /**
   * A store written before digests were recorded gets its existing events recorded once, the first
   * time it is opened with them (trust on first use). After that an event without a record is
   * reported by `ledger verify`, never quietly recorded.
   */
  private recordExistingEventsOnce(): void {
    if (this.statements.meta.get('recorded_since')) return;
    this.db.transaction(() => {
      if (this.statements.meta.get('recorded_since')) return;
      let after = 0n;
      for (;;) {
        const rows = this.statements.unrecorded.all(after) as RawEventRow[];
        for (const row of rows) {
          this.record(row.stream, row.position, [{ id: row.event_id, revision: row.revision, type: row.type, data: row.data, metadata: row.metadata }]);
        }
        if (rows.length === 0) break;
        after = rows[rows.length - 1].position;
      }
      this.statements.setMeta.run('recorded_since', String(after));
    }).immediate();
  }

  private insertStatement(rows: number): Database.Statement {
    let statement = this.inserts.get(rows);
    if (!statement) {
      const placeholders = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      statement = this.db.prepare(`INSERT INTO event_digests (position, alliance, leaf_index, leaf, event_id, stream, revision, type) VALUES ${placeholders}`);
      this.inserts.set(rows, statement);
    }
    return statement;
  }
}
