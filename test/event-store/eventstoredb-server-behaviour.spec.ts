import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, MaxAppendSizeExceededError, StreamDeletedError } from '@eventstore/db-client';
import { collect, EventStoreUnavailableError, NewEvent } from '../../src/event-store/event-store.port';
import { EventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { EventStoreDbDouble } from '../eventstoredb-double/eventstoredb-double';

/**
 * What the adapter does when EventStoreDB answers other than "done": a stream tombstoned under it,
 * an append over the server's maximum size, and a server that stops answering writes. Each runs
 * on both append paths the client has: BatchAppend (24.10) and the older Append RPC (a server
 * before 21.10, or one whose ServerFeatures does not list BatchAppend).
 */
describe.each([
  ['BatchAppend (24.10)', true],
  ['the Append RPC (no BatchAppend)', false],
])('the EventStoreDB adapter through %s', (_path, batchAppend) => {
  const double = new EventStoreDbDouble({ batchAppend, maxAppendSize: 4096 });
  let store: EventStoreDbStore;
  /** A store that gives up on a command after 300 ms instead of 5 s. */
  let impatient: EventStoreDbStore;
  let stream: string;
  const method = batchAppend ? 'batchAppend' : 'append';

  beforeAll(async () => {
    await double.start();
    store = EventStoreDbStore.connect(double.connectionString);
    impatient = new EventStoreDbStore(EventStoreDBClient.connectionString(double.connectionString), { deadlineMs: 300 });
  });
  afterAll(async () => {
    double.writes.release();
    await store.close();
    await impatient.close();
    await double.stop();
  });
  beforeEach(() => {
    stream = `ledger.srv-${randomUUID().slice(0, 8)}.alliance`;
  });

  const events = (count: number, bytes = 10): NewEvent[] => Array.from({ length: count }, () => ({ id: randomUUID(), type: 'Noted', data: { text: 'x'.repeat(bytes) } }));
  const lastAppend = () => double.requests.appends[double.requests.appends.length - 1];

  it('refuses to append to or read a tombstoned stream, and never reads it as empty', async () => {
    await store.append(stream, events(2), { expectedRevision: 'no_stream' });
    double.tombstone(stream);
    // EventStoreDB answers StreamDeleted whatever the expected revision (RpcExceptions.StreamDeleted
    // for Append and Read; Status.StreamDeleted for a batch). An empty read would let a command
    // start the stream again from nothing; an "unavailable" would be retried for ever.
    for (const expectedRevision of [1n, 'any', 'no_stream'] as const) {
      const refused = await store.append(stream, events(1), { expectedRevision }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(StreamDeletedError);
      expect(refused).not.toBeInstanceOf(EventStoreUnavailableError);
      expect(lastAppend()).toMatchObject({ method, streamName: stream, decision: 'stream_deleted' });
    }
    await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(collect(store.readStream(stream, { direction: 'backwards', fromRevision: 'end' }))).rejects.toBeInstanceOf(StreamDeletedError);
  });

  it('takes an append up to the maximum append size, refuses one over it whole, and writes nothing of it', async () => {
    // The server sums the size of every event of one append against MaxAppendSize (1 MiB unless
    // configured; 4 KiB here) and refuses the whole append (Streams.Append.cs, Status.cs).
    await store.append(stream, events(3, 1000), { expectedRevision: 'no_stream' });
    const refused = await store.append(stream, events(3, 1500), { expectedRevision: 2n }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(MaxAppendSizeExceededError);
    expect((refused as MaxAppendSizeExceededError).maxAppendSize).toBe(4096);
    expect(lastAppend()).toMatchObject({ method, decision: 'max_append_size_exceeded' });
    expect(await collect(store.readStream(stream))).toHaveLength(3);
  });

  it('gives up on a server that stops answering writes, and the retry of the same events is acknowledged without a second copy', async () => {
    const batch = events(2);
    double.writes.hold();
    const gaveUp = await impatient.append(stream, batch, { expectedRevision: 'no_stream' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    // BatchAppend carries the deadline in the batch's options and the server answers Timeout
    // (Status.Timeout → the client's DeadlineExceededError, appendToStream/unpackError.js); the
    // Append RPC has a gRPC deadline and the client cancels the call. Either way: unavailable (503).
    expect(gaveUp).toBeInstanceOf(EventStoreUnavailableError);
    // It gave up while the server still held the write: nothing was answered, nothing was waited out.
    expect(double.writes.queued).toBe(1);

    // The server then completes the write after all, as EventStoreDB may after a deadline passed.
    double.writes.release();
    const written = await collect(store.readStream(stream));
    expect(written.map((event) => event.id)).toEqual(batch.map((event) => event.id));

    // The command executor retries with the same event ids and the same expected revision: acknowledged, once.
    const retried = await store.append(stream, batch, { expectedRevision: 'no_stream' });
    expect(retried.nextExpectedRevision).toBe(1n);
    expect(lastAppend()).toMatchObject({ method, decision: 'idempotent' });
    expect(await collect(store.readStream(stream))).toHaveLength(2);
  });
});

describe('a subscriber that is slow and far behind', () => {
  const double = new EventStoreDbDouble();
  let store: EventStoreDbStore;
  beforeAll(async () => {
    await double.start();
    store = EventStoreDbStore.connect(double.connectionString);
  });
  afterAll(async () => {
    await store.close();
    await double.stop();
  });

  it('catches up on a backlog larger than the transport buffers while it holds each event, then goes live: every event once, in log order', async () => {
    const prefix = `ledger.slow-${randomUUID().slice(0, 8)}.`;
    // About 1,200 events of 300 bytes: more than gRPC's 64 KiB flow-control window, so the
    // server's writes back up behind a subscriber that does not read.
    const written: string[] = [];
    for (let batch = 0; batch < 12; batch += 1) {
      const events = Array.from({ length: 100 }, () => ({ id: randomUUID(), type: 'Noted', data: { text: 'x'.repeat(300) } }));
      await store.append(`${prefix}s${batch % 3}`, events, { expectedRevision: 'any' });
      written.push(...events.map((event) => event.id));
    }
    const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [prefix] } });
    const received: Array<{ id: string; commit: bigint; prepare: bigint }> = [];
    let live: Promise<void> | undefined;
    for await (const event of subscription) {
      received.push({ id: event.id, commit: event.position.commit, prepare: event.position.prepare });
      // Slow: the subscriber yields to the event loop between events, and new events are written
      // while it is still catching up.
      await new Promise((resolve) => setImmediate(resolve));
      if (received.length === 10) {
        live = (async () => {
          const more = Array.from({ length: 50 }, () => ({ id: randomUUID(), type: 'Noted', data: { text: 'live' } }));
          await store.append(`${prefix}live`, more, { expectedRevision: 'no_stream' });
          written.push(...more.map((event) => event.id));
        })();
      }
      if (received.length === 1250) break;
    }
    await live;
    await subscription.stop();
    expect(received.map((event) => event.id)).toEqual(written);
    const inOrder = received.every((event, index) => index === 0 || event.commit > received[index - 1].commit || (event.commit === received[index - 1].commit && event.prepare > received[index - 1].prepare));
    expect(inOrder).toBe(true);
    expect(double.requests.subscriptions.filter((sent) => sent.filter?.prefixes.includes(prefix))).toHaveLength(1);
  });
});
