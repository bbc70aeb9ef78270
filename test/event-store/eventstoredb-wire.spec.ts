import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { collect, Position, StoredEvent } from '../../src/event-store/event-store.port';
import { EventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { EventStoreDbDouble } from '../eventstoredb-double/eventstoredb-double';

/**
 * What the adapter puts on the wire, read from the double's record of requests. Results alone
 * cannot show these: the projector de-duplicates what it is given, and a client-side filter gives
 * the same answer as a server-side one.
 */
describe('the EventStoreDB adapter on the wire', () => {
  const double = new EventStoreDbDouble();
  let client: EventStoreDBClient;
  let store: EventStoreDbStore;
  /** Checkpoints the client handed to the adapter's callback, seen through a spy on the client. */
  let checkpointSeen: ((position: Position) => void) | undefined;
  let prefix: string;

  beforeAll(async () => {
    await double.start();
    client = EventStoreDBClient.connectionString(double.connectionString);
    const subscribe = client.subscribeToAll.bind(client);
    client.subscribeToAll = ((options: Parameters<typeof subscribe>[0]) => {
      const filter = options?.filter as { checkpointReached?: (subscription: unknown, position: Position) => unknown } | undefined;
      const adapters = filter?.checkpointReached;
      if (filter)
        filter.checkpointReached = async (subscription, position) => {
          await adapters?.(subscription, position);
          checkpointSeen?.(position);
        };
      return subscribe(options);
    }) as typeof client.subscribeToAll;
    store = new EventStoreDbStore(client);
  });
  afterAll(async () => {
    await store.close();
    await double.stop();
  });
  beforeEach(() => {
    prefix = `wire-${randomUUID().slice(0, 8)}.`;
  });

  const lastRead = () => double.requests.reads[double.requests.reads.length - 1];
  const appendTypes = (stream: string, types: string[]) => store.append(stream, types.map((type) => ({ type, data: {} })), { expectedRevision: 'any' });

  it('sends the filter to the server, and maxCount only when the server applies the whole filter', async () => {
    await appendTypes(`${prefix}a`, ['A', 'B', 'A']);
    await collect(store.readAll({ filter: { streamNamePrefixes: [prefix] }, maxCount: 2 }));
    expect(lastRead()).toMatchObject({ target: 'all', direction: 'forwards', count: 2n, filter: { on: 'stream', prefixes: [prefix], regex: null } });
    await collect(store.readAll({ direction: 'backwards', fromPosition: 'end', filter: { eventTypes: ['A', 'B.C'] }, maxCount: 1 }));
    expect(lastRead()).toMatchObject({ target: 'all', direction: 'backwards', count: 1n, filter: { on: 'type', prefixes: [], regex: '^(A|B\\.C)$' } });
    await collect(store.readAll({ filter: { streamNamePrefixes: [prefix], eventTypes: ['B'] }, maxCount: 1 }));
    expect(lastRead().filter).toEqual({ on: 'stream', prefixes: [prefix], regex: null });
    expect(lastRead().count).toBeGreaterThan(1n);
    await collect(store.readAll({ maxCount: 1 }));
    expect(lastRead().filter).toEqual({ on: 'type', prefixes: [], regex: '^[^$]' });
  });

  it('appends with the expected revision it was given, through BatchAppend as against EventStoreDB 24.10', async () => {
    const stream = `${prefix}a`;
    await store.append(stream, [{ type: 'A', data: {} }], { expectedRevision: 'no_stream' });
    await store.append(stream, [{ type: 'B', data: {} }], { expectedRevision: 0n });
    await store.append(stream, [{ type: 'C', data: {} }], { expectedRevision: 'stream_exists' });
    await store.append(stream, [{ type: 'D', data: {} }], { expectedRevision: 'any' });
    const sent = double.requests.appends.filter((append) => append.streamName === stream);
    expect(sent.map((append) => [append.method, append.expected, append.decision])).toEqual([
      ['batchAppend', { kind: 'no_stream' }, 'ok'],
      ['batchAppend', { kind: 'revision', revision: 0n }, 'ok'],
      ['batchAppend', { kind: 'stream_exists' }, 'ok'],
      ['batchAppend', { kind: 'any' }, 'ok'],
    ]);
  });

  it('subscribes from the checkpoint it was given, with the filter on the server', async () => {
    const { position } = await appendTypes(`${prefix}a`, ['A', 'B']);
    await appendTypes(`${prefix}a`, ['C']);
    const subscription = store.subscribeToAll({ fromPosition: position, filter: { streamNamePrefixes: [prefix] } });
    const [first] = await collect(subscription, 1);
    await subscription.stop();
    expect(first.type).toBe('C');
    const sent = double.requests.subscriptions[double.requests.subscriptions.length - 1];
    expect(sent).toMatchObject({ from: position, filter: { on: 'stream', prefixes: [prefix], regex: null } });
  });

  describe('when the connection drops', () => {
    afterEach(async () => {
      if (!double.running) await double.start();
    });

    it('resubscribes after the last event delivered: no gap, no duplicate', async () => {
      await appendTypes(`${prefix}a`, ['S0', 'S1']);
      const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [prefix] } });
      const iterator = subscription[Symbol.asyncIterator]();
      const received: StoredEvent[] = [];
      for (let count = 0; count < 2; count += 1) received.push((await iterator.next()).value);
      const subscribedBefore = double.requests.subscriptions.length;

      await double.stop();
      await double.start();
      double.appendRaw(`${prefix}a`, 'S2', {});
      received.push((await iterator.next()).value);
      await subscription.stop();

      expect(received.map((event) => event.type)).toEqual(['S0', 'S1', 'S2']);
      const resumed = double.requests.subscriptions.slice(subscribedBefore);
      expect(resumed.length).toBeGreaterThan(0);
      for (const request of resumed) expect(request.from).toEqual(received[1].position);
    });

    it('resubscribes from the last checkpoint the server reported, past events its filter dropped', async () => {
      await appendTypes(`${prefix}wanted`, ['W0']);
      const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [`${prefix}wanted`] } });
      const iterator = subscription[Symbol.asyncIterator]();
      const first: StoredEvent = (await iterator.next()).value;

      const passedOver = new Promise<Position>((resolve) => {
        checkpointSeen = (position) => {
          if (position.commit > first.position.commit) resolve(position);
        };
      });
      // The server sends a checkpoint every 32 events it scans (the client's default window), so
      // 32 foreign events bring exactly one, wherever its count stood.
      for (let index = 0; index < 32; index += 1) double.appendRaw(`${prefix}other`, 'Noise', { index });
      const checkpoint = await passedOver;
      checkpointSeen = undefined;
      const subscribedBefore = double.requests.subscriptions.length;

      await double.stop();
      await double.start();
      double.appendRaw(`${prefix}wanted`, 'W1', {});
      const next: StoredEvent = (await iterator.next()).value;
      await subscription.stop();

      expect(next.type).toBe('W1');
      const resumed = double.requests.subscriptions.slice(subscribedBefore);
      expect(resumed.length).toBeGreaterThan(0);
      expect(resumed[0].from).toEqual(checkpoint);
    });
  });
});
