import { collect, EventStore, formatPosition, StoredEvent } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { DigestRecord } from '../event-store/embedded/digest-table';
import { LEDGER_PREFIX, allianceOfStream, streamNames } from '../shared/stream-names';

/** An alliance's event as verification reads it: the stored text may no longer parse. */
export interface ReadEvent {
  position: string;
  id: string;
  streamName: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  created: string;
  /** Why the stored row could not be read as an event, when it could not. */
  unreadable?: string;
}

/**
 * The alliance's events in log order. On the embedded store they are read as stored, row by row,
 * so an event whose data was mangled is named rather than stopping the read.
 */
export async function* allianceEvents(store: EventStore, allianceId: string): AsyncIterable<ReadEvent> {
  if (store instanceof SqliteEventStore) {
    for (const row of store.digests.rawRows(allianceId)) {
      const base = { position: `${row.position}/${row.position}`, id: row.event_id, streamName: row.stream, revision: row.revision, type: row.type, created: row.created };
      try {
        yield { ...base, data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) };
      } catch (error) {
        yield { ...base, data: null, metadata: null, unreadable: `its stored JSON does not parse (${(error as Error).message})` };
      }
    }
    return;
  }
  for await (const event of store.readAll({ filter: { streamNamePrefixes: [streamNames.alliancePrefix(allianceId)] } })) yield fromStored(event);
}

export function fromStored(event: StoredEvent): ReadEvent {
  return {
    position: formatPosition(event.position),
    id: event.id,
    streamName: event.streamName,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    created: event.created.toISOString(),
  };
}

/** The digests the embedded store recorded as each event was appended; null on a store that keeps none. */
export function recordedDigests(store: EventStore, allianceId: string): { records: Iterable<DigestRecord>; recordedSince: bigint } | null {
  return store instanceof SqliteEventStore ? { records: store.digests.records(allianceId), recordedSince: store.digests.recordedSince() } : null;
}

/**
 * Whether the store holds anything of the alliance: its configuration or periods stream. Each read
 * asks for one event and is read to its end, never left early: an EventStoreDB read abandoned
 * half-way can keep a short-lived command from finishing.
 */
export async function holdsAlliance(store: EventStore, allianceId: string): Promise<boolean> {
  for (const stream of [streamNames.alliance(allianceId), streamNames.periods(allianceId)]) {
    if ((await collect(store.readStream(stream, { maxCount: 1 }))).length > 0) return true;
  }
  return false;
}

/** Every alliance with events in the store, in order of first appearance. */
export async function alliancesIn(store: EventStore): Promise<string[]> {
  if (store instanceof SqliteEventStore) return store.digests.alliances();
  const found = new Set<string>();
  for await (const event of store.readAll({ filter: { streamNamePrefixes: [LEDGER_PREFIX] } })) {
    const allianceId = allianceOfStream(event.streamName);
    if (allianceId) found.add(allianceId);
  }
  return [...found];
}
