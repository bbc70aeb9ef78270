import { EventIdConflictError, EventStoreUnavailableError } from '../event-store/event-store.port';
import { DomainError } from '../shared/domain-error';

/** Store failures a caller can act on, as domain errors; anything else is rethrown as it is. */
export function asDomainError(error: unknown): unknown {
  if (error instanceof EventStoreUnavailableError) {
    return new DomainError('event_store_unavailable', 'unavailable', `The event store is unavailable: ${error.message}`);
  }
  if (error instanceof EventIdConflictError) {
    return new DomainError('command_id_reused', 'conflict', 'commandId: was already used for a different command', [
      { field: 'commandId', reason: 'was already used for a different command' },
    ]);
  }
  return error;
}
