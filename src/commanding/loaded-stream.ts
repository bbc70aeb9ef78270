import { EventStore, ExpectedRevision, StoredEvent } from '../event-store/event-store.port';
import { Decider, DomainEvent } from '../shared/decider';

/** A stream folded into its decider's state, with the revision it reflects and the commands it holds. */
export interface LoadedStream<State> {
  streamName: string;
  state: State;
  /** -1 when the stream does not exist yet. */
  revision: bigint;
  /** Command id → digest of the command, for every command recorded in the stream. */
  commands: Map<string, string>;
}

export function emptyStream<State>(streamName: string, decider: Decider<unknown, DomainEvent, State>): LoadedStream<State> {
  return { streamName, state: decider.initialState(), revision: -1n, commands: new Map() };
}

/**
 * Brings a loaded stream up to date by reading only what was appended since its revision.
 * Events at or below the revision already folded are skipped, so two overlapping catch-ups
 * cannot apply an event twice.
 */
export async function catchUp<State>(store: EventStore, loaded: LoadedStream<State>, decider: Decider<unknown, DomainEvent, State>): Promise<LoadedStream<State>> {
  for await (const event of store.readStream(loaded.streamName, { fromRevision: loaded.revision + 1n })) {
    if (event.revision <= loaded.revision) continue;
    fold(loaded, decider, event);
  }
  return loaded;
}

export function fold<State>(loaded: LoadedStream<State>, decider: Decider<unknown, DomainEvent, State>, event: Pick<StoredEvent, 'type' | 'data' | 'metadata' | 'revision'>): void {
  loaded.state = decider.evolve(loaded.state, { type: event.type, data: event.data });
  loaded.revision = event.revision;
  const { commandId, commandDigest } = event.metadata;
  if (commandId) loaded.commands.set(commandId, String(commandDigest ?? ''));
}

export function expectedRevisionOf(loaded: LoadedStream<unknown>): ExpectedRevision {
  return loaded.revision < 0n ? 'no_stream' : loaded.revision;
}
