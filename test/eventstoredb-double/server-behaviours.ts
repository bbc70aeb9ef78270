// What the double can be told to behave like: an older server, a slow one, a tombstoned stream,
// the maximum append size. Each answer is the one EventStoreDB gives, as cited.
import * as grpc from '@grpc/grpc-js';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { ClusterInfo } from '@eventstore/db-client/generated/gossip_pb';
import { MaximumAppendSizeExceeded, StreamDeleted, StreamIdentifier, Timeout } from '@eventstore/db-client/generated/shared_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Proposal } from './wire-messages';

export interface DoubleOptions {
  /**
   * Whether the server has BatchAppend. EventStoreDB added it in 21.10; the client appends through
   * it only when ServerFeatures lists it (`appendToStream/index.js`: `supports(StreamsService.batchAppend)`),
   * and otherwise through the older client-streaming Append RPC. Default true (24.10).
   */
  batchAppend?: boolean;
  /** EventStoreDB's `MaxAppendSize`, 1,048,576 bytes unless configured. */
  maxAppendSize?: number;
  /** A node of a cluster (`cluster.ts`): it answers gossip, and NotLeader while it is not the leader. */
  cluster?: {
    gossip(): ClusterInfo;
    leaderIfNot(node: unknown): { host: string; port: number } | undefined;
  };
}

export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

export function serverFeatures(options: DoubleOptions): SupportedMethods {
  const batch = options.batchAppend ?? true;
  const methods = (batch ? ['read', 'append', 'batchappend'] : ['read', 'append']).map((name) =>
    new SupportedMethod().setServiceName('event_store.client.streams.streams').setMethodName(name),
  );
  return new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(batch ? '24.10.0' : '21.6.0');
}

/**
 * The size EventStoreDB counts towards MaxAppendSize: `Event.SizeOnDisk(eventType, data, metadata)`
 * summed over the append (EventStore/EventStore, `Streams.Append.cs`). Approximated here by data,
 * metadata and the type's UTF-16 length; the ledger's events are far from the limit either way.
 */
export function appendSize(proposals: readonly Proposal[]): number {
  return proposals.reduce((total, proposal) => total + proposal.data.length + proposal.customMetadata.length + 2 * proposal.type.length, 0);
}

/**
 * Errors of the unary/streaming RPCs (Append, Read) travel as gRPC status plus an `exception`
 * trailer, which the client's `convertToCommandError` reads (EventStore/EventStore,
 * `RpcExceptions.cs`: StreamDeleted is FailedPrecondition with `exception: stream-deleted` and
 * `stream-name`; MaxAppendSizeExceeded carries `exception: maximum-append-size-exceeded` and
 * `maximum-append-size`).
 */
export function rpcError(code: grpc.status, details: string, trailers: Record<string, string>): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export const streamDeletedRpc = (streamName: string) =>
  rpcError(grpc.status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`, { exception: 'stream-deleted', 'stream-name': streamName });

export const maxAppendSizeRpc = (maxAppendSize: number) =>
  rpcError(grpc.status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(maxAppendSize),
  });

/** BatchAppend answers each batch with a google.rpc Status instead (EventStore/EventStore, `Status.cs`). */
function status(code: number, message: string, details: { serializeBinary(): Uint8Array }, typeName: string): Status {
  const packed = new Any();
  packed.pack(details.serializeBinary(), typeName);
  return new Status().setCode(code).setMessage(message).setDetails(packed);
}

export const streamDeletedStatus = (streamName: string) =>
  status(Code.NOT_FOUND, 'StreamDeleted', new StreamDeleted().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(streamName))), 'event_store.client.StreamDeleted');

export const maxAppendSizeStatus = (maxAppendSize: number) =>
  status(Code.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize), 'event_store.client.MaximumAppendSizeExceeded');

/** The server gives up on a batch whose deadline (sent in its options) passes: `Status.Timeout`. */
export const timeoutStatus = () => status(Code.DEADLINE_EXCEEDED, 'Timeout', new Timeout(), 'event_store.client.Timeout');

/**
 * A server that has stopped making progress on writes: appends wait until `release()`. A write the
 * client gave up on still goes ahead when released, as a real server may commit a write after its
 * caller's deadline passed.
 */
export class WriteGate {
  private waiting: Array<() => void> = [];
  private held = false;

  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resume of waiting) resume();
  }

  /** How many appends are waiting for the gate. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves when the next append reaches the held gate. */
  arrival(): Promise<void> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  passThen(write: () => void): void {
    if (!this.held) return write();
    this.waiting.push(write);
    for (const arrived of this.arrivals.splice(0)) arrived();
  }

  private readonly arrivals: Array<() => void> = [];
}

/**
 * How EventStoreDB 24.10 answers a read of `$all` from a position it cannot read from
 * (EventStore/EventStore at v24.10.0). A commit position that is not the start of a record makes
 * the chunk reader throw `InvalidReadException` (`TFChunkReadSide.ValidateRecordLength`,
 * `ValidatePrefixSuffixLength`), which `StorageReaderWorker.ReadAllEventsForward`/`Backward`
 * answer as `ReadAllResult.InvalidPosition`. A backwards read from beyond the end of the log makes
 * `TFChunkReader.TryReadPrev` throw a plain exception ("Requested position ... is greater than
 * writer checkpoint"): `ReadAllResult.Error`. The read enumerators (`Enumerator.ReadAllForwards`,
 * `ReadAllBackwards` and their `Filtered` twins) have no case for either and complete with
 * `ReadResponseException.UnknownError`, which `Streams.Read.cs` sends as
 * `RpcExceptions.UnknownError`: status UNKNOWN, "Unexpected ReadAllResult: InvalidPosition", no
 * `exception` trailer, so the client raises its own `UnknownError`.
 */
export const unexpectedReadAllResult = (filtered: boolean, result: 'InvalidPosition' | 'Error') =>
  rpcError(grpc.status.UNKNOWN, `Unexpected ${filtered ? 'FilteredReadAllResult' : 'ReadAllResult'}: ${result}`, {});

/**
 * A catch-up subscription to `$all` from such a position: its catch-up read gets
 * `ReadAllResult.InvalidPosition`, which `Enumerator.AllSubscription(Filtered).CatchUp` turns into
 * `ReadResponseException.InvalidPosition`, sent as `RpcExceptions.InvalidPositionException()`:
 * INVALID_ARGUMENT, "Trying to read from an invalid position." (after the confirmation). A
 * checkpoint at or past the last event never reads: the subscription goes live and skips live
 * events at or before it (`MainLoop`, `GoLive`).
 */
export const invalidPositionSubscription = () => rpcError(grpc.status.INVALID_ARGUMENT, 'Trying to read from an invalid position.', {});

/**
 * A server that answers reads slowly, or not at all. `hold(after)`: each read sends `after` events
 * (none by default) and then waits until `release()` or a later `hold` allows more. `pace(ms)`: each
 * event waits that long before it is sent, as from a server under load. The client sends reads no
 * deadline (`readStream`/`readAll` pass `deadline: Infinity`; kurrent-io/KurrentDB-Client-NodeJS
 * issue 262, "Set reads & subscriptions timeouts to infinity"), so only the caller can give up.
 */
export class ReadGate {
  private allowance = Number.POSITIVE_INFINITY;
  private delayMs = 0;
  private waiting = new Set<() => void>();
  private readonly arrivals: Array<() => void> = [];

  hold(after = 0): void {
    this.allowance = after;
    this.wake();
  }

  release(): void {
    this.allowance = Number.POSITIVE_INFINITY;
    this.delayMs = 0;
    this.wake();
  }

  pace(ms: number): void {
    this.delayMs = ms;
  }

  /** How many reads are waiting at the gate. */
  get stalled(): number {
    return this.waiting.size;
  }

  /** Resolves when the next read stalls at the held gate. */
  arrival(): Promise<void> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  /** Resolves true when a read that has sent `sent` events may send another, false once the read was given up (`abandoned`). */
  async pass(sent: number, abandoned: Promise<unknown>): Promise<boolean> {
    let gone = false;
    void abandoned.then(() => (gone = true));
    while (!gone && sent >= this.allowance) {
      await new Promise<void>((resolve) => {
        const resume = () => {
          this.waiting.delete(resume);
          resolve();
        };
        this.waiting.add(resume);
        void abandoned.then(resume);
        for (const arrived of this.arrivals.splice(0)) arrived();
      });
    }
    if (!gone && this.delayMs > 0) await Promise.race([new Promise((resolve) => setTimeout(resolve, this.delayMs)), abandoned]);
    return !gone;
  }

  private wake(): void {
    for (const resume of [...this.waiting]) resume();
  }
}
