import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { ClusterInfo } from '@eventstore/db-client/generated/gossip_pb';
import { SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { AllStreamPosition, Empty, StreamIdentifier, WrongExpectedVersion as BatchWrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { checkCommit, CommitDecision, Expected } from './commit-check';
import {
  appendSize,
  DEFAULT_MAX_APPEND_SIZE,
  DoubleOptions,
  invalidPositionSubscription,
  maxAppendSizeRpc,
  ReadGate,
  rpcError,
  maxAppendSizeStatus,
  serverFeatures,
  streamDeletedRpc,
  streamDeletedStatus,
  timeoutStatus,
  unexpectedReadAllResult,
  WriteGate,
} from './server-behaviours';
import { compare, eventResponse, Filter, filterOf, LogRecord, matches, Proposal, proposalOf, SentFilter, sentFilterOf, streamNameOf, uuidOf, WirePosition } from './wire-messages';

type AppendOutcome = ({ ok: true; revision: bigint; commit: bigint; prepare: bigint } | { ok: false; current: bigint | null; expected: Expected }) & { decision: CommitDecision['kind'] };

/**
 * How the server side of a read or subscription call ended: still `open`, answered to its end
 * (`completed`), answered with an error (`refused`), or `cancelled` by the client (or cut by a stop).
 */
export type CallOutcome = 'open' | 'completed' | 'refused' | 'cancelled';

export interface ReadRequest {
  target: 'all' | 'stream';
  direction: 'forwards' | 'backwards';
  count: bigint;
  filter: SentFilter;
  /** Where the read starts: a position of `$all`, a stream revision, or either end. */
  from: WirePosition | bigint | 'start' | 'end';
  /** The gRPC deadline the client sent, in ms from the call's start; `none` (Infinity) for the client's reads. */
  deadline: number | 'none';
  /** How many events the double sent. */
  sent: number;
  outcome: CallOutcome;
}

/** What the client asked the double, in order, so tests can assert on the wire and not only on results. */
export interface WireRequests {
  appends: Array<{ method: 'append' | 'batchAppend'; streamName: string; expected: Expected; eventIds: string[]; decision: CommitDecision['kind'] | Refusal }>;
  reads: ReadRequest[];
  subscriptions: Array<{ from: WirePosition | 'start' | 'end'; filter: SentFilter; outcome: CallOutcome }>;
  /** Checkpoints the double sent to filtered subscriptions. */
  checkpoints: WirePosition[];
}

interface Subscriber {
  after: { commit: bigint; prepare: bigint } | null;
  filter: Filter | null;
  checkpointEvery: number;
  scanned: number;
  call: grpc.ServerWritableStream<ReadReq, ReadResp>;
}

const TICKS_AT_UNIX_EPOCH = 621355968000000000n;

interface SharedLog {
  log: LogRecord[];
  streams: Map<string, LogRecord[]>;
  /** Where the next record goes: the end of the log (the writer checkpoint). */
  nextOffset: bigint;
  /** Where each record starts (every event's prepare, every append's commit record): the positions a read may start from. */
  recordStarts: Set<bigint>;
  tombstoned: Set<string>;
  nodes: Set<EventStoreDbDouble>;
}

/** Appends the server refuses before deciding on revisions, and a batch it gave up on. */
type Refusal = 'stream_deleted' | 'max_append_size_exceeded' | 'timed_out';

/**
 * A wire-level stand-in for EventStoreDB: a gRPC server on 127.0.0.1 implementing the parts of
 * the Streams service the ledger's adapter uses, from the service definitions the client package
 * ships, with EventStoreDB's semantics: expected-revision checks, idempotent appends by event id,
 * $all positions that are log offsets (commit/prepare, with gaps), filtered reads, catch-up
 * subscriptions that start after their checkpoint, confirmations, caught-up and checkpoint
 * messages. It can be stopped and started again on the same port, keeping its log, to rehearse
 * outages. Its log starts with system events and another application's events, which the
 * ledger must ignore.
 */
export class EventStoreDbDouble {
  private server: grpc.Server | undefined;
  /** The log, shared by every node of a cluster (replication is not modelled: all nodes see every write). */
  private readonly shared: SharedLog;
  private readonly subscribers = new Set<Subscriber>();
  private boundPort = 0;
  readonly requests: WireRequests = { appends: [], reads: [], subscriptions: [], checkpoints: [] };
  /** Hold it to make the server stop making progress on writes (`writes.hold()`, `writes.release()`). */
  readonly writes = new WriteGate();
  /** Hold it to make the server answer reads slowly or not at all (`reads.hold(after)`, `reads.release()`). */
  readonly reads = new ReadGate();
  private readonly callsClosed = new WeakMap<object, Promise<CallOutcome>>();

  constructor(private readonly options: DoubleOptions & { shareLogWith?: EventStoreDbDouble } = {}) {
    this.shared = options.shareLogWith?.shared ?? { log: [], streams: new Map(), nextOffset: 2048n, recordStarts: new Set([0n, 2048n]), tombstoned: new Set(), nodes: new Set() };
    this.shared.nodes.add(this);
    if (!options.shareLogWith) this.seedForeignEvents();
  }

  private get log(): LogRecord[] {
    return this.shared.log;
  }

  private get streams(): Map<string, LogRecord[]> {
    return this.shared.streams;
  }

  private get maxAppendSize(): number {
    return this.options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  }

  /**
   * Tombstones a stream, as `$tombstone`/hard delete does: it can never be read or written again
   * (EventStoreDB answers StreamDeleted to both, whatever the expected revision).
   */
  tombstone(streamName: string): void {
    this.shared.tombstoned.add(streamName);
  }

  get port(): number {
    return this.boundPort;
  }

  /** Resolves with how the server side of a recorded read or subscription call ended. */
  closed(request: ReadRequest | WireRequests['subscriptions'][number]): Promise<CallOutcome> {
    return this.callsClosed.get(request) ?? Promise.reject(new Error('not a call this double recorded'));
  }

  /** Keeps a record's outcome up to date as its call ends, and the promise `closed()` answers. */
  private track<Request extends { outcome: CallOutcome }>(request: Request, call: grpc.ServerWritableStream<ReadReq, ReadResp>): (outcome: CallOutcome) => void {
    let settle: (outcome: CallOutcome) => void = () => undefined;
    this.callsClosed.set(request, new Promise<CallOutcome>((resolve) => (settle = resolve)));
    const end = (outcome: CallOutcome) => {
      if (request.outcome !== 'open') return;
      request.outcome = outcome;
      settle(outcome);
    };
    call.on('cancelled', () => end('cancelled'));
    return end;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(port = this.boundPort): Promise<void> {
    const server = new grpc.Server();
    server.addService(StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => (this.notLeader(call) ? call.emit('error', this.notLeader(call)) : this.read(call)),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) =>
        this.notLeader(call) ? callback(this.notLeader(call)!) : this.append(call, callback),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) =>
        this.notLeader(call)
          ? call.emit('error', this.notLeader(call))
          : this.options.batchAppend === false ? call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'no BatchAppend before 21.10' }) : this.batchAppend(call),
      delete: (_: unknown, callback: grpc.sendUnaryData<never>) => callback({ code: grpc.status.UNIMPLEMENTED }),
      tombstone: (_: unknown, callback: grpc.sendUnaryData<never>) => callback({ code: grpc.status.UNIMPLEMENTED }),
    });
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (_: unknown, callback: grpc.sendUnaryData<SupportedMethods>) => callback(null, serverFeatures(this.options)),
    });
    if (this.options.cluster) server.addService(GossipService, { read: (_: unknown, callback: grpc.sendUnaryData<ClusterInfo>) => callback(null, this.options.cluster!.gossip()) });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    this.server = server;
  }

  /** Stops abruptly, as a crash or a network cut would: every call and subscription is dropped. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.subscribers.clear();
    server?.forceShutdown();
  }

  /**
   * A follower asked for the leader (the client sends `requires-leader: true` with
   * nodePreference=leader) answers NotLeader naming the leader, which the client follows
   * (EventStore/EventStore `RpcExceptions.LeaderInfo`; the client's `NotLeaderError` and `shouldReconnect`).
   */
  private notLeader(call: { metadata: grpc.Metadata }): grpc.ServiceError | undefined {
    const leader = this.options.cluster?.leaderIfNot(this);
    if (!leader || call.metadata.get('requires-leader')[0] !== 'true') return undefined;
    return rpcError(grpc.status.NOT_FOUND, 'Leader info available', { exception: 'not-leader', 'leader-endpoint-host': leader.host, 'leader-endpoint-port': String(leader.port) });
  }

  /** Writes events as another application would (for tests of what the ledger ignores). */
  appendRaw(streamName: string, type: string, data: unknown): void {
    const outcome = this.appendEvents(streamName, { kind: 'any' }, [
      { id: randomUUID(), type, contentType: 'application/json', data: Buffer.from(JSON.stringify(data)), customMetadata: new Uint8Array() },
    ]);
    if (!outcome.ok) throw new Error('unreachable');
  }

  // ---- Append ------------------------------------------------------------------------------

  private append(call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void {
    let options: AppendReq.Options | undefined;
    const proposals: Proposal[] = [];
    call.on('data', (request: AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      else if (request.hasProposedMessage()) proposals.push(proposalOf(request.getProposedMessage()!));
    });
    call.on('end', () => {
      if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Options were not sent' });
      const streamName = streamNameOf(options.getStreamIdentifier());
      const Case = AppendReq.Options.ExpectedStreamRevisionCase;
      const expected: Expected =
        options.getExpectedStreamRevisionCase() === Case.REVISION
          ? { kind: 'revision', revision: BigInt(options.getRevision()) }
          : options.getExpectedStreamRevisionCase() === Case.NO_STREAM
            ? { kind: 'no_stream' }
            : options.getExpectedStreamRevisionCase() === Case.STREAM_EXISTS
              ? { kind: 'stream_exists' }
              : { kind: 'any' };
      const refuse = (decision: Refusal, error: grpc.ServiceError) => {
        this.requests.appends.push({ method: 'append', streamName, expected, eventIds: proposals.map((proposal) => proposal.id), decision });
        callback(error);
      };
      if (this.shared.tombstoned.has(streamName)) return refuse('stream_deleted', streamDeletedRpc(streamName));
      if (appendSize(proposals) > this.maxAppendSize) return refuse('max_append_size_exceeded', maxAppendSizeRpc(this.maxAppendSize));
      this.writes.passThen(() => this.completeAppend(streamName, expected, proposals, callback));
    });
  }

  private completeAppend(streamName: string, expected: Expected, proposals: Proposal[], callback: grpc.sendUnaryData<AppendResp>): void {
    const outcome = this.appendEvents(streamName, expected, proposals);
    this.requests.appends.push({ method: 'append', streamName, expected, eventIds: proposals.map((proposal) => proposal.id), decision: outcome.decision });
    const response = new AppendResp();
    if (outcome.ok) {
      const position = new AppendResp.Position().setCommitPosition(outcome.commit.toString()).setPreparePosition(outcome.prepare.toString());
      response.setSuccess(new AppendResp.Success().setCurrentRevision(outcome.revision.toString()).setPosition(position));
    } else {
      const wrong = new AppendResp.WrongExpectedVersion();
      if (outcome.current === null) wrong.setCurrentNoStream(new Empty());
      else wrong.setCurrentRevision(outcome.current.toString());
      if (outcome.expected.kind === 'revision') wrong.setExpectedRevision(outcome.expected.revision.toString());
      else if (outcome.expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
      else if (outcome.expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
      else wrong.setExpectedAny(new Empty());
      response.setWrongExpectedVersion(wrong);
    }
    callback(null, response);
  }

  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    const pending = new Map<string, { options?: BatchAppendReq.Options; proposals: Proposal[] }>();
    call.on('data', (request: BatchAppendReq) => {
      const correlation = uuidOf(request.getCorrelationId());
      const batch = pending.get(correlation) ?? { proposals: [] };
      pending.set(correlation, batch);
      if (request.hasOptions()) batch.options = request.getOptions();
      batch.proposals.push(...request.getProposedMessagesList().map(proposalOf));
      if (!request.getIsFinal()) return;
      pending.delete(correlation);
      // The batch stream outlives elections: a node that is no longer the leader ends it with
      // NotLeader (the server's WriteEvents is NotHandled: RpcExceptions.TryHandleNotHandled).
      const refusal = this.notLeader(call);
      if (refusal) return void call.emit('error', refusal);
      const options = batch.options!;
      const streamName = streamNameOf(options.getStreamIdentifier());
      const Case = BatchAppendReq.Options.ExpectedStreamPositionCase;
      const expected: Expected =
        options.getExpectedStreamPositionCase() === Case.STREAM_POSITION
          ? { kind: 'revision', revision: BigInt(options.getStreamPosition()) }
          : options.getExpectedStreamPositionCase() === Case.NO_STREAM
            ? { kind: 'no_stream' }
            : options.getExpectedStreamPositionCase() === Case.STREAM_EXISTS
              ? { kind: 'stream_exists' }
              : { kind: 'any' };
      const eventIds = batch.proposals.map((proposal) => proposal.id);
      const answer = () => new BatchAppendResp().setCorrelationId(request.getCorrelationId()).setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(streamName)));
      const refuse = (decision: Refusal, error: Status) => {
        this.requests.appends.push({ method: 'batchAppend', streamName, expected, eventIds, decision });
        call.write(answer().setError(error));
      };
      if (this.shared.tombstoned.has(streamName)) return refuse('stream_deleted', streamDeletedStatus(streamName));
      if (appendSize(batch.proposals) > this.maxAppendSize) return refuse('max_append_size_exceeded', maxAppendSizeStatus(this.maxAppendSize));
      // The server enforces the deadline the client sends in the batch's options (the call itself has none).
      let answered = false;
      const deadline = options.getDeadline()?.toDate().getTime();
      const timer =
        deadline === undefined
          ? undefined
          : setTimeout(() => {
              answered = true;
              refuse('timed_out', timeoutStatus());
            }, Math.max(0, deadline - Date.now()));
      timer?.unref();
      this.writes.passThen(() => {
        clearTimeout(timer);
        const outcome = this.appendEvents(streamName, expected, batch.proposals);
        if (answered || !this.running) return;
        this.requests.appends.push({ method: 'batchAppend', streamName, expected, eventIds, decision: outcome.decision });
        call.write(this.batchResponse(answer(), outcome));
      });
    });
    call.on('end', () => call.end());
  }

  private batchResponse(response: BatchAppendResp, outcome: AppendOutcome): BatchAppendResp {
    if (outcome.ok) {
      const position = new AllStreamPosition().setCommitPosition(outcome.commit.toString()).setPreparePosition(outcome.prepare.toString());
      response.setSuccess(new BatchAppendResp.Success().setCurrentRevision(outcome.revision.toString()).setPosition(position));
    } else {
      const details = new BatchWrongExpectedVersion();
      if (outcome.current === null) details.setCurrentNoStream(new ProtobufEmpty());
      else details.setCurrentStreamRevision(outcome.current.toString());
      if (outcome.expected.kind === 'revision') details.setExpectedStreamPosition(outcome.expected.revision.toString());
      else if (outcome.expected.kind === 'no_stream') details.setExpectedNoStream(new ProtobufEmpty());
      else if (outcome.expected.kind === 'stream_exists') details.setExpectedStreamExists(new ProtobufEmpty());
      else details.setExpectedAny(new ProtobufEmpty());
      const packed = new Any();
      packed.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
      response.setError(new Status().setCode(Code.FAILED_PRECONDITION).setMessage('WrongExpectedVersion').setDetails(packed));
    }
    return response;
  }

  /** EventStoreDB's rules (`checkCommit`): a retry is acknowledged with the events it repeats, a refusal changes nothing. */
  private appendEvents(streamName: string, expected: Expected, proposals: Proposal[]): AppendOutcome {
    const records = this.streams.get(streamName) ?? [];
    const current = records.length === 0 ? null : records[records.length - 1].revision;
    const decision = checkCommit(
      records.map((record) => record.id),
      expected,
      proposals.map((proposal) => proposal.id),
    );
    if (decision.kind === 'wrong_expected_version') return { ok: false, current, expected, decision: decision.kind };
    if (decision.kind === 'idempotent') {
      const last = records[decision.last];
      return { ok: true, revision: last.revision, commit: last.commit, prepare: last.prepare, decision: decision.kind };
    }

    // Each event gets its own prepare position; the whole append shares the commit record's position.
    const created = BigInt(Date.now()) * 10000n + TICKS_AT_UNIX_EPOCH;
    const prepares = proposals.map((proposal) => {
      const prepare = this.shared.nextOffset;
      this.shared.recordStarts.add(prepare);
      this.shared.nextOffset += BigInt(160 + proposal.data.length + proposal.customMetadata.length);
      return prepare;
    });
    const commit = this.shared.nextOffset;
    this.shared.recordStarts.add(commit);
    this.shared.nextOffset += 64n;
    this.shared.recordStarts.add(this.shared.nextOffset);
    let revision = current ?? -1n;
    const appended = proposals.map((proposal, index) => {
      revision += 1n;
      return { streamName, revision, ...proposal, created, commit, prepare: prepares[index] };
    });
    records.push(...appended);
    this.streams.set(streamName, records);
    this.log.push(...appended);
    for (const node of this.shared.nodes) for (const subscriber of node.subscribers) for (const record of appended) node.deliver(subscriber, record);
    const last = appended[appended.length - 1];
    return { ok: true, revision: last.revision, commit, prepare: last.prepare, decision: decision.kind };
  }

  // ---- Read --------------------------------------------------------------------------------

  private read(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions()!;
    if (options.hasSubscription()) {
      if (!options.hasAll()) {
        call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'stream subscriptions are not part of the double' });
        return;
      }
      return this.subscribe(call, options);
    }
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const deadline = call.getDeadline();
    const request: ReadRequest = {
      target: options.hasAll() ? 'all' : 'stream',
      direction: backwards ? 'backwards' : 'forwards',
      count: BigInt(options.getCount() || '0'),
      filter: sentFilterOf(options),
      from: options.hasAll() ? allFrom(options.getAll()!) : streamFrom(options.getStream()!),
      deadline: deadline === Infinity ? 'none' : new Date(deadline).getTime() - Date.now(),
      sent: 0,
      outcome: 'open',
    };
    this.requests.reads.push(request);
    const end = this.track(request, call);
    const refuse = (error: grpc.ServiceError) => {
      end('refused');
      call.emit('error', error);
    };
    const records = options.hasAll() ? this.readAll(options.getAll()!, backwards, filterOf(options)) : this.readStream(options.getStream()!, backwards);
    if (records instanceof Error) return refuse(records);
    if (records === 'stream_not_found') {
      call.write(new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(options.getStream()!.getStreamIdentifier())));
      call.end();
      return end('completed');
    }
    void this.send(call, request, records.slice(0, Number(request.count)), options.hasAll()).then(() => {
      if (call.cancelled || !this.running) return;
      call.end();
      end('completed');
    });
  }

  /**
   * Sends a read's events one at a time, as the server's read enumerators do: each waits for the
   * read gate (a slow or stalled server) and for the transport (a caller that does not read), and
   * nothing more is sent once the client has cancelled.
   */
  private async send(call: grpc.ServerWritableStream<ReadReq, ReadResp>, request: ReadRequest, records: LogRecord[], withCommitPosition: boolean): Promise<void> {
    const abandoned = new Promise((resolve) => {
      call.once('cancelled', resolve);
      call.once('close', resolve);
    });
    for (const record of records) {
      if (!(await this.reads.pass(request.sent, abandoned)) || call.cancelled || !this.running) return;
      const more = call.write(eventResponse(record, withCommitPosition));
      request.sent += 1;
      if (!more) await Promise.race([once(call, 'drain'), abandoned]);
    }
  }

  private readStream(options: ReadReq.Options.StreamOptions, backwards: boolean): LogRecord[] | 'stream_not_found' | grpc.ServiceError {
    const streamName = streamNameOf(options.getStreamIdentifier());
    if (this.shared.tombstoned.has(streamName)) return streamDeletedRpc(streamName);
    const records = this.streams.get(streamName);
    if (!records || records.length === 0) return 'stream_not_found';
    const Case = ReadReq.Options.StreamOptions.RevisionOptionCase;
    const last = records[records.length - 1].revision;
    const from = options.getRevisionOptionCase() === Case.REVISION ? BigInt(options.getRevision()) : options.getRevisionOptionCase() === Case.END ? (backwards ? last : last + 1n) : 0n;
    return backwards ? records.filter((record) => record.revision <= from).reverse() : records.filter((record) => record.revision >= from);
  }

  /**
   * `$all` from the start, the end or a position. A position whose commit part is not the start of
   * a record is refused, and so is a backwards read from past the end of the log; a forwards read
   * from past the end reads nothing (`server-behaviours.ts`, `unexpectedReadAllResult`).
   */
  private readAll(options: ReadReq.Options.AllOptions, backwards: boolean, filter: Filter | null): LogRecord[] | grpc.ServiceError {
    const Case = ReadReq.Options.AllOptions.AllOptionCase;
    const position = options.getPosition();
    const at = options.getAllOptionCase() === Case.POSITION ? { commit: BigInt(position!.getCommitPosition()), prepare: BigInt(position!.getPreparePosition()) } : null;
    if (at && at.commit < this.shared.nextOffset && !this.shared.recordStarts.has(at.commit)) return unexpectedReadAllResult(filter !== null, 'InvalidPosition');
    if (at && backwards && at.commit > this.shared.nextOffset) return unexpectedReadAllResult(filter !== null, 'Error');
    const start = options.getAllOptionCase() === Case.START;
    const selected = this.log.filter((record) => {
      if (!matches(filter, record)) return false;
      if (backwards) return start ? false : at === null || compare(record, at) < 0;
      return start || (at !== null && compare(record, at) >= 0);
    });
    return backwards ? selected.reverse() : selected;
  }

  /** Catch-up from after the given position (exclusive), then live; confirmation, caught-up and checkpoints as the server sends them. */
  private subscribe(call: grpc.ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options): void {
    const all = options.getAll()!;
    const Case = ReadReq.Options.AllOptions.AllOptionCase;
    const filter = filterOf(options);
    const position = all.getPosition();
    const last = this.log[this.log.length - 1];
    const after =
      all.getAllOptionCase() === Case.POSITION
        ? { commit: BigInt(position!.getCommitPosition()), prepare: BigInt(position!.getPreparePosition()) }
        : all.getAllOptionCase() === Case.END && last
          ? { commit: last.commit, prepare: last.prepare }
          : null;
    const request: WireRequests['subscriptions'][number] = { from: after ?? (all.getAllOptionCase() === Case.END ? 'end' : 'start'), filter: sentFilterOf(options), outcome: 'open' };
    this.requests.subscriptions.push(request);
    const end = this.track(request, call);
    // A checkpoint before the last event is caught up from by reading there, which fails unless a
    // record starts there; one at or past it goes live at once (see invalidPositionSubscription).
    if (after && last && compare(after, last) < 0 && !this.shared.recordStarts.has(after.commit)) {
      call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
      end('refused');
      call.emit('error', invalidPositionSubscription());
      return;
    }
    const window = options.getFilter()?.getWindowCase() === ReadReq.Options.FilterOptions.WindowCase.MAX ? options.getFilter()!.getMax() : 32;
    const subscriber: Subscriber = { after, filter, checkpointEvery: Math.max(1, window * (options.getFilter()?.getCheckpointintervalmultiplier() || 1)), scanned: 0, call };
    call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    for (const record of this.log) this.deliver(subscriber, record);
    call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    this.subscribers.add(subscriber);
    const leave = () => this.subscribers.delete(subscriber);
    call.on('cancelled', leave);
    call.on('close', leave);
  }

  private deliver(subscriber: Subscriber, record: LogRecord): void {
    if (subscriber.after && compare(record, subscriber.after) <= 0) return;
    subscriber.after = { commit: record.commit, prepare: record.prepare };
    if (matches(subscriber.filter, record)) subscriber.call.write(eventResponse(record, true));
    if (!subscriber.filter) return;
    subscriber.scanned += 1;
    if (subscriber.scanned >= subscriber.checkpointEvery) {
      subscriber.scanned = 0;
      this.requests.checkpoints.push({ commit: record.commit, prepare: record.prepare });
      subscriber.call.write(new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(record.commit.toString()).setPreparePosition(record.prepare.toString())));
    }
  }

  private seedForeignEvents(): void {
    const system = (streamName: string, type: string, data: unknown) =>
      this.appendEvents(streamName, { kind: 'any' }, [
        { id: randomUUID(), type, contentType: 'application/json', data: Buffer.from(JSON.stringify(data)), customMetadata: new Uint8Array() },
      ]);
    system('$settings', '$settings', { $userStreamAcl: { $r: '$all' } });
    system('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-cpu': 3.2 });
    system('inventory-42', 'ItemStocked', { sku: 'CONE-1', quantity: 400 });
    system('ledger-archive', 'ArchivedElsewhere', { note: 'a stream whose name merely starts with "ledger"' });
  }
}

function allFrom(options: ReadReq.Options.AllOptions): WirePosition | 'start' | 'end' {
  const Case = ReadReq.Options.AllOptions.AllOptionCase;
  if (options.getAllOptionCase() !== Case.POSITION) return options.getAllOptionCase() === Case.END ? 'end' : 'start';
  const position = options.getPosition()!;
  return { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) };
}

function streamFrom(options: ReadReq.Options.StreamOptions): bigint | 'start' | 'end' {
  const Case = ReadReq.Options.StreamOptions.RevisionOptionCase;
  if (options.getRevisionOptionCase() === Case.REVISION) return BigInt(options.getRevision());
  return options.getRevisionOptionCase() === Case.END ? 'end' : 'start';
}
