import { AppConfig } from '../config/app-config';
import { SqliteEventStore } from './embedded/sqlite-event-store';
import { EventStore } from './event-store.port';
import { EventStoreDbStore } from './eventstoredb/eventstoredb-event-store';

/** The adapter the configuration asks for: the embedded SQLite store by default, EventStoreDB in production. */
export function createEventStore(config: AppConfig['eventStore']): EventStore {
  return config.kind === 'embedded'
    ? new SqliteEventStore({ path: config.path, synchronous: config.synchronous })
    : EventStoreDbStore.connect(config.connectionString);
}
