import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  FORWARDS,
  jsonEvent,
  NotLeaderError,
  RecordedEvent,
  START,
  streamNameFilter,
  StreamSubscription,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  AppendResult,
  collect,
  comparePositions,
  EventFilter,
  EventIdConflictError,
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  InvalidPositionError,
  matchesFilter,
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
import { isInvalidPosition, mayBePastTheEnd, readEvents, unavailable } from './client-reads';
import { claimCommandIds } from './command-claims';
import { readAllFiltered } from './filtered-read';

const COMMAND_DEADLINE_MS = 5000;
const PING_DEADLINE_MS = 2000;
const MAX_BACKOFF_MS = 5000;

/**
 * The production adapter, on EventStoreDB through @eventstore/db-client. System streams and
 * events (`$…`) never reach the ledger; other applications' streams are left out by the ledger's
 * own stream-name prefix filter, applied on the server.
 */
export class EventStoreDbStore implements EventStore {
  readonly kind = 'eventstoredb' as const;

  /** How long an append, or a wait for a read's next answer, may take before it counts as EventStoreDB not answering. */
  private readonly deadlineMs: number;

  constructor(
    private readonly client: EventStoreDBClient,
    options: { deadlineMs?: number } = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? COMMAND_DEADLINE_MS;
  }

  static connect(connectionString: string): EventStoreDbStore {
    return new EventStoreDbStore(EventStoreDBClient.connectionString(connectionString));
  }

  async append(streamName: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    checkNewEvents(streamName, events);
    try {
      return await this.appendOnce(streamName, events, options);
    } catch (error) {
      // A follower answered NotLeader (after an election): the client has already switched its
      // channel to the leader the follower named (its shouldReconnect), so one more try goes there.
      // The same event ids make it safe: what the old leader may have written is acknowledged.
      if (!(error instanceof EventStoreUnavailableError && error.cause instanceof NotLeaderError)) throw error;
      return this.appendOnce(streamName, events, options);
    }
  }

  private async appendOnce(streamName: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    try {
      await claimCommandIds(this.client, streamName, events, this.deadlineMs);
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) => jsonEvent({ id: event.id ?? randomUUID(), type: event.type, data: event.data as never, metadata: (event.metadata ?? {}) as never })),
        { expectedRevision: options.expectedRevision, deadline: this.deadlineMs, requiresLeader: true },
      );
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position! };
    } catch (error) {
      if (error instanceof EventIdConflictError) throw error;
      if (error instanceof WrongExpectedVersionError) {
        const actual = typeof error.actualVersion === 'bigint' ? error.actualVersion : 'no_stream';
        if (await this.startsLikeAnEarlierAppend(streamName, events, options.expectedRevision, actual)) throw new EventIdConflictError(streamName, events[0].id!);
        throw new WrongExpectedRevisionError(streamName, options.expectedRevision, actual);
      }
      throw unavailable(error);
    }
  }

  /**
   * Tells a partly duplicate batch from a stale revision, both of which EventStoreDB answers with
   * WrongExpectedVersion ("CorruptedIdempotency" in its IndexWriter.CheckCommit). With `any` the
   * server refuses nothing else; with a revision, the batch is partly duplicate when its first id
   * is the event just after that revision. Only a refused append pays for this look.
   */
  private async startsLikeAnEarlierAppend(streamName: string, events: readonly NewEvent[], expected: ExpectedRevision, actual: bigint | 'no_stream'): Promise<boolean> {
    const firstId = events[0].id;
    if (firstId === undefined || actual === 'no_stream') return false;
    if (expected === 'any' || expected === 'stream_exists') return true;
    const after = expected === 'no_stream' ? -1n : expected;
    if (after >= actual) return false;
    for await (const event of this.readStream(streamName, { fromRevision: after + 1n, maxCount: 1 })) return event.id === firstId;
    return false;
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? 'start';
    if (backwards && from === 'start') return;
    const read = this.client.readStream(streamName, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: from === 'start' ? START : from === 'end' ? END : from,
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      // A command decides on what it reads: from the leader, never a follower that lags.
      requiresLeader: true,
    });
    yield* readEvents(read, (resolved) => (resolved.event ? toStoredEvent(resolved.event) : undefined), { deadlineMs: this.deadlineMs });
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    let refused: unknown;
    let yielded = false;
    try {
      for await (const event of this.readAllFrom(from, options)) {
        yielded = true;
        yield event;
      }
      return;
    } catch (error) {
      if (yielded || !backwards || typeof from !== 'object' || !mayBePastTheEnd(error)) throw error;
      refused = error;
    }
    // EventStoreDB refuses a backwards read from past the end of its log; the port reads it from the end.
    const head = await this.logHead();
    if (head !== null && comparePositions(from, head) <= 0) throw refused;
    yield* this.readAllFrom('end', options);
  }

  private async *readAllFrom(from: Position | 'start' | 'end', options: ReadAllOptions): AsyncGenerator<StoredEvent> {
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const server = serverFilter(options.filter);
    // The server counts maxCount over the events its filter passed. When part of the filter is
    // checked here, the count is kept here too, and the read is cancelled once it is reached.
    const serverCounts = Number.isFinite(remaining) && server.complete;
    const read = readAllFiltered(this.client, {
      direction: options.direction ?? 'forwards',
      fromPosition: from,
      maxCount: serverCounts ? remaining : Number.MAX_SAFE_INTEGER,
      filter: server,
    });
    const events = readEvents(
      read,
      (resolved) => {
        const recorded = resolved.event;
        return recorded && isApplicationEvent(recorded) && matchesFilter(options.filter, recorded.streamId, recorded.type) ? toStoredEvent(recorded) : undefined;
      },
      { deadlineMs: this.deadlineMs, from: typeof from === 'object' ? from : undefined },
    );
    for await (const event of events) {
      yield event;
      remaining -= 1;
      if (remaining <= 0) return;
    }
  }

  /** The position of the last record of `$all`, system events included: where the log ends. */
  private async logHead(): Promise<Position | null> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    const [head] = await collect(readEvents(read, (resolved) => resolved.event?.position, { deadlineMs: this.deadlineMs }));
    return head ?? null;
  }

  /**
   * Catch-up then live. A dropped connection is resumed from the last event delivered (or the
   * last checkpoint the server reported) with growing back-off, so the caller sees one unbroken
   * sequence: no gap, no duplicate.
   */
  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    let stopped = false;
    let current: StreamSubscription | undefined;
    let wake: (() => void) | undefined;
    const client = this.client;

    async function* deliver(): AsyncGenerator<StoredEvent> {
      let from: Position | 'start' = options.fromPosition ?? 'start';
      let failures = 0;
      while (!stopped) {
        current = client.subscribeToAll({
          fromPosition: from === 'start' ? START : from,
          filter: subscriptionFilter(options.filter, (_, position) => {
            from = position;
          }),
        });
        try {
          for await (const resolved of current) {
            failures = 0;
            const event = resolved.event;
            if (!event || !event.position) continue;
            from = event.position;
            if (!isApplicationEvent(event) || !matchesFilter(options.filter, event.streamId, event.type)) continue;
            yield toStoredEvent(event);
            if (stopped) return;
          }
        } catch (error) {
          if (stopped) return;
          // A checkpoint EventStoreDB cannot read from is refused for good, not retried as a dropped connection is.
          if (isInvalidPosition(error) && from !== 'start') throw new InvalidPositionError(from, 'EventStoreDB cannot read from it: no record starts there', error);
          failures += 1;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(100 * 2 ** failures, MAX_BACKOFF_MS));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        } finally {
          await current.unsubscribe().catch(() => undefined);
        }
      }
    }

    const iterator = deliver();
    return {
      [Symbol.asyncIterator]: () => iterator,
      stop: async () => {
        stopped = true;
        wake?.();
        await current?.unsubscribe().catch(() => undefined);
        await iterator.return(undefined);
      },
    };
  }

  async headPosition(filter?: EventFilter): Promise<Position | null> {
    for await (const event of this.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1, filter })) return event.position;
    return null;
  }

  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    await collect(readEvents(read, () => undefined, { deadlineMs: PING_DEADLINE_MS }));
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

interface ServerFilter {
  on: 'stream' | 'type';
  prefixes?: string[];
  regex?: string;
  /** False when the filter names both stream prefixes and event types: the server takes one expression, the types are then checked here. */
  complete: boolean;
}

/** The part of a filter EventStoreDB can apply itself (one expression, on stream names or on event types); the rest is checked here. */
function serverFilter(filter?: EventFilter): ServerFilter {
  if (filter?.streamNamePrefixes) return { on: 'stream', prefixes: filter.streamNamePrefixes, complete: filter.eventTypes === undefined };
  if (filter?.eventTypes) return { on: 'type', regex: `^(${filter.eventTypes.map(escapeRegex).join('|')})$`, complete: true };
  return { on: 'type', regex: '^[^$]', complete: true };
}

function subscriptionFilter(filter: EventFilter | undefined, checkpointReached: (subscription: unknown, position: Position) => void) {
  const server = serverFilter(filter);
  const make = server.on === 'stream' ? streamNameFilter : eventTypeFilter;
  return server.prefixes ? make({ prefixes: server.prefixes, checkpointReached }) : make({ regex: server.regex!, checkpointReached });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isApplicationEvent(event: RecordedEvent): boolean {
  return event.isJson && !event.streamId.startsWith('$') && !event.type.startsWith('$');
}

function toStoredEvent(event: RecordedEvent): StoredEvent {
  return {
    id: event.id,
    streamName: event.streamId,
    revision: event.revision,
    position: event.position!,
    type: event.type,
    data: event.data,
    metadata: (event.metadata as StoredEvent['metadata']) ?? {},
    created: event.created,
  };
}

