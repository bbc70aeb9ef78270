import { StoredEvent } from '../event-store/event-store.port';

/** When the ledger recorded an event: its own clock, kept in the metadata (the store's time otherwise). */
export function recordedAt(event: StoredEvent): number {
  return event.metadata.recordedAt ? Date.parse(event.metadata.recordedAt) : event.created.getTime();
}
