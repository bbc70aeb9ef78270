/**
 * The one port every event store adapter implements. Its shapes follow EventStoreDB's, so the
 * embedded SQLite store and EventStoreDB are interchangeable behind it.
 */

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** Kept with every event. `recordedAt` is the ledger's own clock; auditors read it. */
export interface EventMetadata {
  commandId?: string;
  correlationId?: string;
  causationId?: string;
  actor?: string;
  recordedAt?: string;
  [key: string]: unknown;
}

export interface NewEvent<Type extends string = string, Data = Record<string, unknown>> {
  /** A UUID, generated when absent. What reusing one does is stated on `EventStore.append`. */
  id?: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
}

/** A place in the global log. The embedded store uses one sequence for both parts. */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

export interface StoredEvent<Type extends string = string, Data = any> {
  id: string;
  streamName: string;
  revision: bigint;
  position: Position;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  /** When the store wrote it (its own clock). */
  created: Date;
}

export interface AppendResult {
  nextExpectedRevision: bigint;
  position: Position;
  /**
   * True when every event was already in the stream (a retry with the same ids): nothing was
   * written, and `position` is the last of them where they were first written. Only the embedded
   * store says so; EventStoreDB answers a retry as it answers an append.
   */
  retried?: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive in both directions. */
  fromRevision?: bigint | 'start' | 'end';
  maxCount?: number;
}

/** Events match when their stream starts with one of the prefixes and their type is one of the types. */
export interface EventFilter {
  streamNamePrefixes?: string[];
  eventTypes?: string[];
}

/**
 * Where a read of all events or a subscription starts. A position must be one this store gave out
 * (an event's, an append's, a checkpoint it reported), or 'start' / 'end':
 *
 * - **One it could not have given out** is refused with InvalidPositionError naming it, when the
 *   read or subscription is first iterated; nothing is read, and a subscription is not retried.
 *   EventStoreDB refuses a position where no record of its log starts; the embedded store, whose
 *   positions use one sequence for both parts, one whose commit and prepare parts differ.
 * - **One past the end of the log** is the end: forwards nothing, backwards every event. A
 *   subscription from it delivers only events whose positions pass it (EventStoreDB goes live and
 *   skips the others), so a checkpoint taken from another store can skip events silently.
 */
export type FromPosition = Position | 'start' | 'end';

export interface ReadAllOptions {
  direction?: 'forwards' | 'backwards';
  /** Forwards: events at or after the position. Backwards: events strictly before it. See FromPosition. */
  fromPosition?: FromPosition;
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeToAllOptions {
  /** A checkpoint: the subscription delivers events strictly after it. See FromPosition. */
  fromPosition?: Position | 'start';
  filter?: EventFilter;
}

/** Catch-up then live. Iterate it; `stop()` ends the iteration. */
export interface Subscription extends AsyncIterable<StoredEvent> {
  stop(): Promise<void>;
}

export interface EventStore {
  readonly kind: 'embedded' | 'eventstoredb';
  /**
   * Writes all the events or none, if the stream is at the expected revision
   * (WrongExpectedRevisionError otherwise). Event ids follow EventStoreDB's idempotence rules:
   *
   * - **A retry**: the events are already in this stream, the same ids in the same order, starting
   *   just after the expected revision (anywhere, for `any` and `stream_exists`). Nothing is
   *   written; the result is that of the append that wrote them.
   * - **A partly duplicate batch**: its first event is already in the stream just there, but the
   *   batch then differs (another id, or more events). Refused with EventIdConflictError naming
   *   that first id; nothing is written.
   * - **Any other reuse** of an id (after a new first id, or in another stream): the stores
   *   differ. The embedded store refuses it (EventIdConflictError: its ids are unique across the
   *   log); EventStoreDB does not look and may store the id twice. Callers must not rely on
   *   either: the ledger refuses a reused command id before deciding.
   */
  append(streamName: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /** A stream that does not exist reads as empty. */
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** The position of the newest event matching the filter, or null when there is none. */
  headPosition(filter?: EventFilter): Promise<Position | null>;
  /**
   * Only where the log is a local file that answers at once: a number that grows with every
   * append that commits, from this process or another, and changes for nothing else. Callers
   * that keep streams folded may skip a read while it has not moved. EventStoreDB has no such
   * answer without a round trip, so its adapter leaves this out.
   *
   * Where it is given, it is the commit part of the newest event's position, and an append that
   * wrote its events (not `retried`) gave them consecutive positions ending at the one its result
   * names (AllianceTotalsReader counts what this process appended by that).
   */
  localHead?(): bigint;
  /** Resolves when the store answers; rejects with EventStoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamName}: expected revision ${String(expected)}, found ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class EventStoreUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'EventStoreUnavailableError';
  }
}

/** A read or subscription from a position this store could not have given out (see FromPosition). */
export class InvalidPositionError extends Error {
  constructor(
    readonly position: Position,
    reason: string,
    cause?: unknown,
  ) {
    super(`${formatPosition(position)} is not a position of this event store: ${reason}`, { cause });
    this.name = 'InvalidPositionError';
  }
}

/** An append began like an earlier one and then differed (a partly duplicate batch), or reused an id the store keeps unique. */
export class EventIdConflictError extends Error {
  constructor(readonly streamName: string, readonly eventId: string) {
    super(`Stream ${streamName}: event ${eventId} was already appended in a different batch`);
    this.name = 'EventIdConflictError';
  }
}

export function comparePositions(a: Position, b: Position): -1 | 0 | 1 {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function formatPosition(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}

export function parsePosition(text: string): Position {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new RangeError(`Not a position: ${text}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

export function matchesFilter(filter: EventFilter | undefined, streamName: string, type: string): boolean {
  if (!filter) return true;
  const prefixes = filter.streamNamePrefixes;
  if (prefixes && !prefixes.some((prefix) => streamName.startsWith(prefix))) return false;
  const types = filter.eventTypes;
  return !types || types.includes(type);
}

export async function collect<T>(source: AsyncIterable<T>, limit = Number.POSITIVE_INFINITY): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) {
    items.push(item);
    if (items.length >= limit) break;
  }
  return items;
}
