import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { collect, EventStore, EventStoreUnavailableError, InvalidPositionError, NewEvent } from '../../src/event-store/event-store.port';
import { EventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { CallOutcome, EventStoreDbDouble, ReadRequest } from '../eventstoredb-double/eventstoredb-double';

/**
 * Reads at the wire: a server that answers slowly or not at all, a caller that leaves a read
 * early, and positions the server refuses. The client sends reads no gRPC deadline (its readStream
 * and readAll pass `deadline: Infinity` whatever they are given: kurrent-io/KurrentDB-Client-NodeJS
 * issue 262, "Set reads & subscriptions timeouts to infinity"), so the adapter bounds each wait for
 * the server itself, and it must end every call it leaves: an open call holds the server's
 * resources and the client's dispose() waits for it. The double records how each call ended.
 */
describe('EventStoreDB reads at the wire', () => {
  const double = new EventStoreDbDouble();
  let store: EventStoreDbStore;
  /** Gives up on a wait for the server after 300 ms instead of 5 s. */
  let impatient: EventStoreDbStore;
  let prefix: string;

  beforeAll(async () => {
    await double.start();
    store = EventStoreDbStore.connect(double.connectionString);
    impatient = new EventStoreDbStore(EventStoreDBClient.connectionString(double.connectionString), { deadlineMs: 300 });
  });
  afterEach(() => double.reads.release());
  afterAll(async () => {
    await store.close();
    await impatient.close();
    await double.stop();
  });
  beforeEach(() => {
    prefix = `ledger.reads-${randomUUID().slice(0, 8)}.`;
  });

  const events = (types: string[]): NewEvent[] => types.map((type, index) => ({ id: randomUUID(), type, data: { index } }));
  const written = async (stream: string, count: number) => store.append(stream, events(Array.from({ length: count }, () => 'Noted')), { expectedRevision: 'any' });
  const readsSince = (before: number) => double.requests.reads.slice(before);
  /** How a call ended, or `still open` if it had not ended 3 s after the caller was done with it. */
  const outcome = (request: ReadRequest | undefined): Promise<CallOutcome | 'still open'> =>
    Promise.race([double.closed(request!), new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 3000).unref())]);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  describe('a server that stops answering a read', () => {
    const stalled: Array<[string, (store: EventStore, prefix: string) => Promise<unknown>]> = [
      ['a stream read', (on, at) => collect(on.readStream(`${at}s`))],
      ['a filtered read of $all', (on, at) => collect(on.readAll({ filter: { streamNamePrefixes: [at] } }))],
      ['the head position', (on, at) => on.headPosition({ streamNamePrefixes: [at] })],
    ];

    it.each(stalled)('gives up on %s with EventStoreUnavailableError, and cancels the call', async (_, read) => {
      await written(`${prefix}s`, 3);
      const before = double.requests.reads.length;
      double.reads.hold(0);
      const gaveUp = await failure(read(impatient, prefix));
      expect(gaveUp).toBeInstanceOf(EventStoreUnavailableError);
      expect((gaveUp as Error).message).toMatch(/did not answer a read within 300 ms/);
      const [request] = readsSince(before);
      // The client set no deadline: only the adapter's own bound ended the wait.
      expect(request).toMatchObject({ deadline: 'none', sent: 0 });
      expect(await outcome(request)).toBe('cancelled');
    });

    it('gives up part-way through a read that stops answering, after the events it sent', async () => {
      await written(`${prefix}s`, 5);
      const before = double.requests.reads.length;
      double.reads.hold(2);
      const received: string[] = [];
      const gaveUp = await failure(
        (async () => {
          for await (const event of impatient.readStream(`${prefix}s`)) received.push(event.id);
        })(),
      );
      expect(gaveUp).toBeInstanceOf(EventStoreUnavailableError);
      expect(received).toHaveLength(2);
      expect(await outcome(readsSince(before)[0])).toBe('cancelled');
    });

    it('gives up on a retried command whose claim cannot be read (the read behind an append)', async () => {
      const stream = `${prefix}alliance`;
      const command = { commandId: `cmd-${randomUUID()}`, commandDigest: 'sha256:one' };
      await store.append(stream, [{ id: randomUUID(), type: 'Noted', data: {}, metadata: command }], { expectedRevision: 'no_stream' });
      const before = double.requests.reads.length;
      double.reads.hold(0);
      // The claim exists, so the retry reads it to compare digests: that read stalls.
      const gaveUp = await failure(impatient.append(stream, [{ id: randomUUID(), type: 'Noted', data: {}, metadata: command }], { expectedRevision: 0n }));
      expect(gaveUp).toBeInstanceOf(EventStoreUnavailableError);
      expect(await outcome(readsSince(before)[0])).toBe('cancelled');
    });

    it('answers ping within its own 2 s bound, and cancels the call', async () => {
      const before = double.requests.reads.length;
      double.reads.hold(0);
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(await outcome(readsSince(before)[0])).toBe('cancelled');
    });

    it('does not cut short a slow read that keeps answering, though it takes longer than the bound in all', async () => {
      await written(`${prefix}s`, 6);
      const patient = new EventStoreDbStore(EventStoreDBClient.connectionString(double.connectionString), { deadlineMs: 2000 });
      try {
        const before = double.requests.reads.length;
        // Each event takes 500 ms: 3 s in all, every wait a quarter of the bound.
        double.reads.pace(500);
        const read = await collect(patient.readStream(`${prefix}s`));
        expect(read).toHaveLength(6);
        expect(readsSince(before)[0]).toMatchObject({ sent: 6, outcome: 'completed' });
      } finally {
        await patient.close();
      }
    });
  });

  describe('a read its caller leaves early', () => {
    // The server has sent three events and has more: the call is open when the caller leaves.
    beforeEach(() => double.reads.hold(3));

    it('cancels a stream read the caller stops iterating', async () => {
      await written(`${prefix}s`, 10);
      const before = double.requests.reads.length;
      expect(await collect(store.readStream(`${prefix}s`), 2)).toHaveLength(2);
      expect(await outcome(readsSince(before)[0])).toBe('cancelled');
    });

    it('cancels a read of $all the caller stops iterating (a page of the history)', async () => {
      await written(`${prefix}s`, 10);
      const before = double.requests.reads.length;
      expect(await collect(store.readAll({ filter: { streamNamePrefixes: [prefix] } }), 2)).toHaveLength(2);
      expect(await outcome(readsSince(before)[0])).toBe('cancelled');
    });

    it('cancels a read of $all it ends itself, once a count kept on the client is reached', async () => {
      await store.append(`${prefix}s`, events(['A', 'B', 'A', 'B', 'A', 'B']), { expectedRevision: 'no_stream' });
      const before = double.requests.reads.length;
      const page = await collect(store.readAll({ filter: { streamNamePrefixes: [prefix], eventTypes: ['B'] }, maxCount: 1 }));
      expect(page.map((event) => event.type)).toEqual(['B']);
      expect(await outcome(readsSince(before)[0])).toBe('cancelled');
    });

    it('cancels the read behind a head position it found in the first events', async () => {
      await store.append(`${prefix}s`, events(['A', 'B', 'A', 'B', 'A', 'B']), { expectedRevision: 'no_stream' });
      const before = double.requests.reads.length;
      expect(await store.headPosition({ streamNamePrefixes: [prefix], eventTypes: ['A'] })).not.toBeNull();
      expect(await outcome(readsSince(before)[0])).toBe('cancelled');
    });

    it('cancels a subscription when it is stopped', async () => {
      await written(`${prefix}s`, 2);
      const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [prefix] } });
      expect(await collect(subscription, 1)).toHaveLength(1);
      await subscription.stop();
      const request = double.requests.subscriptions.find((sent) => sent.filter?.prefixes.includes(prefix));
      expect(await Promise.race([double.closed(request!), new Promise((resolve) => setTimeout(() => resolve('still open'), 3000).unref())])).toBe('cancelled');
    });
  });

  describe('positions the server refuses', () => {
    it('ends a subscription from an invalid position with InvalidPositionError instead of resubscribing', async () => {
      await written(`${prefix}s`, 1);
      const [first] = await collect(store.readAll({ filter: { streamNamePrefixes: [prefix] } }));
      await written(`${prefix}s`, 1);
      const inside = { commit: first.position.commit + 1n, prepare: first.position.prepare };
      const subscription = store.subscribeToAll({ fromPosition: inside, filter: { streamNamePrefixes: [prefix] } });
      const refused = await failure(collect(subscription, 1));
      await subscription.stop();
      expect(refused).toBeInstanceOf(InvalidPositionError);
      expect((refused as Error).message).toContain(`${inside.commit}/${inside.prepare}`);
      const sent = double.requests.subscriptions.filter((request) => request.filter?.prefixes.includes(prefix));
      expect(sent).toEqual([expect.objectContaining({ from: inside, outcome: 'refused' })]);
    });

    it('reads from the end after the server refuses a backwards read from past the end of the log', async () => {
      await written(`${prefix}s`, 2);
      const before = double.requests.reads.length;
      const far = { commit: 2n ** 62n, prepare: 2n ** 62n };
      expect(await collect(store.readAll({ direction: 'backwards', fromPosition: far, filter: { streamNamePrefixes: [prefix] } }))).toHaveLength(2);
      expect(readsSince(before).map((request) => [request.direction, request.from, request.outcome])).toEqual([
        ['backwards', far, 'refused'],
        ['backwards', 'end', 'completed'],
        ['backwards', 'end', 'completed'],
      ]);
    });
  });
});
