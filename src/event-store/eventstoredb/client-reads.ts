import { CancelledError, DeadlineExceededError, NotLeaderError, ResolvedEvent, StreamNotFoundError, UnavailableError, UnknownError } from '@eventstore/db-client';
import { EventStoreUnavailableError, InvalidPositionError, Position } from '../event-store.port';

/** A read the client started: its events, and a way to end the gRPC call before the server does. */
export interface CancellableRead extends AsyncIterable<ResolvedEvent> {
  cancel(): Promise<void>;
  destroy?(): void;
}

export interface ReadLimits {
  /** The longest wait for the server's next answer (an event, or the end of the read). */
  deadlineMs: number;
  /** Where a read of `$all` starts, to name it when the server refuses it. */
  from?: Position;
}

const OUT_OF_TIME = Symbol('out of time');

/**
 * Iterates a client read, mapping each resolved event (undefined skips it), and is the one place
 * a read's gRPC call is ended early:
 *
 * - **Left early** (the caller stops iterating, or a loop returns): the call is cancelled. An
 *   unconsumed call would otherwise stay open until the server finishes it, and the client's
 *   dispose() waits for every call.
 * - **The server does not answer**: the client sends reads no deadline (its readStream and readAll
 *   pass `deadline: Infinity`, whatever deadline they are given), so a stalled server would hold
 *   the caller for ever. Each wait for the server's next answer is bounded here instead; past it,
 *   the call is cancelled and the caller gets EventStoreUnavailableError, which is retried like
 *   any other unavailability. A slow read that keeps answering is not cut short, nor is a caller
 *   that takes its time between events.
 *
 * A stream that does not exist reads as empty; a position the server cannot read from is an
 * InvalidPositionError naming it.
 */
export async function* readEvents<T>(read: CancellableRead, map: (resolved: ResolvedEvent) => T | undefined, limits: ReadLimits): AsyncGenerator<T> {
  const iterator = read[Symbol.asyncIterator]();
  const patience = new Patience(limits.deadlineMs);
  let callOpen = true;
  try {
    for (;;) {
      const next = await patience.wait(iterator.next());
      if (next === OUT_OF_TIME) throw new EventStoreUnavailableError(`EventStoreDB did not answer a read within ${limits.deadlineMs} ms`);
      if (next.done) {
        callOpen = false;
        return;
      }
      const mapped = map(next.value);
      if (mapped !== undefined) yield mapped;
    }
  } catch (error) {
    if (error instanceof EventStoreUnavailableError) throw error;
    callOpen = false;
    if (error instanceof StreamNotFoundError) return;
    if (limits.from && isInvalidPosition(error)) throw new InvalidPositionError(limits.from, 'EventStoreDB cannot read from it: no record starts there', error);
    throw unavailable(error);
  } finally {
    patience.stop();
    if (callOpen) {
      await read.cancel().catch(() => undefined);
      // The client's read stream ignores its own cancellation; ending it settles a wait still pending.
      read.destroy?.();
    }
  }
}

/**
 * How EventStoreDB refuses a read of `$all` from a position where no record starts: a read gets
 * UNKNOWN "Unexpected ReadAllResult: InvalidPosition" (its read enumerators have no case for it),
 * a subscription INVALID_ARGUMENT "Trying to read from an invalid position."
 * (`RpcExceptions.InvalidPositionException`). The client raises both as its UnknownError.
 */
export function isInvalidPosition(error: unknown): boolean {
  return error instanceof UnknownError && /ReadAllResult: InvalidPosition|invalid position/i.test(error.message);
}

/**
 * How EventStoreDB refuses a backwards read of `$all` from past the end of its log: the chunk
 * reader throws a plain exception ("greater than writer checkpoint"), answered as UNKNOWN
 * "Unexpected ReadAllResult: Error". Other failures read the same, so the caller checks the end.
 */
export function mayBePastTheEnd(error: unknown): boolean {
  return error instanceof UnknownError && /ReadAllResult: Error/.test(error.message);
}

export function unavailable(error: unknown): unknown {
  if (error instanceof EventStoreUnavailableError) return error;
  if (error instanceof UnavailableError || error instanceof DeadlineExceededError || error instanceof CancelledError || error instanceof NotLeaderError) {
    return new EventStoreUnavailableError(`EventStoreDB did not answer (${(error as Error).message})`, error);
  }
  const code = (error as { code?: unknown })?.code;
  if (code === 'ECONNREFUSED' || code === 14) return new EventStoreUnavailableError(`EventStoreDB is unreachable (${(error as Error).message})`, error);
  return error;
}

/** One timer per read, re-armed for each wait on the server, so a long read does not create one per event. */
class Patience {
  private timer: NodeJS.Timeout | undefined;
  private expire: (() => void) | undefined;

  constructor(private readonly ms: number) {}

  wait<T>(next: Promise<T>): Promise<T | typeof OUT_OF_TIME> {
    return new Promise((resolve, reject) => {
      this.expire = () => resolve(OUT_OF_TIME);
      if (this.timer) this.timer.refresh();
      else this.timer = setTimeout(() => this.expire?.(), this.ms);
      next.then(
        (value) => {
          this.expire = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.expire = undefined;
          reject(error);
        },
      );
    });
  }

  stop(): void {
    clearTimeout(this.timer);
    this.expire = undefined;
  }
}
