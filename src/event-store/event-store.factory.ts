import { AppConfig } from '../config/app-config';
import { SqliteEventStore } from './embedded/sqlite-event-store';
import { EventStore } from './event-store.port';
import type { EventStoreDbStore } from './eventstoredb/eventstoredb-event-store';

/** The adapter the configuration asks for: the embedded SQLite store by default, EventStoreDB in production. */
export function createEventStore(config: AppConfig['eventStore']): EventStore {
  return config.kind === 'embedded'
    ? new SqliteEventStore({ path: config.path, synchronous: config.synchronous })
    : // Loaded only when asked for, so the embedded default (and the CLI's start) does not pay for the gRPC client.
      (require('./eventstoredb/eventstoredb-event-store') as { EventStoreDbStore: typeof EventStoreDbStore }).EventStoreDbStore.connect(config.connectionString);
}
