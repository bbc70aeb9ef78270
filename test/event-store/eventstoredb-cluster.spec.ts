import { randomUUID } from 'node:crypto';
import { collect, EventStoreUnavailableError, NewEvent } from '../../src/event-store/event-store.port';
import { EventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { EventStoreDbCluster } from '../eventstoredb-double/cluster';

/**
 * The adapter on a three-node cluster (docs/eventstoredb.md, "A cluster"), found by gossip seeds
 * (`esdb://n1,n2,n3`) or by `esdb+discover://` and one name. The client asks a seed's gossip for the members, connects to the one in state Leader
 * (nodePreference=leader; @eventstore/db-client `Client/discovery.js`, `determineBestNode`), and
 * sends `requires-leader: true`, so a follower answers NotLeader naming the leader
 * (`RpcExceptions.LeaderInfo` in EventStore/EventStore; the client's `NotLeaderError` carries
 * `leader-endpoint-host`/`-port` and its `shouldReconnect` switches the channel there).
 */
describe('the EventStoreDB adapter on a three-node cluster', () => {
  let cluster: EventStoreDbCluster;
  let store: EventStoreDbStore;
  let stream: string;

  beforeEach(async () => {
    cluster = new EventStoreDbCluster();
    await cluster.start();
    store = EventStoreDbStore.connect(cluster.connectionString);
    stream = `ledger.cl-${randomUUID().slice(0, 8)}.alliance`;
  });
  afterEach(async () => {
    await store.close();
    await cluster.stop();
  });

  const events = (count: number): NewEvent[] => Array.from({ length: count }, () => ({ id: randomUUID(), type: 'Noted', data: {} }));
  const appendsTo = (index: number) => cluster.nodes[index].requests.appends.filter((append) => append.streamName === stream);

  it('finds the leader through gossip and writes to it alone, by gossip seeds and by esdb+discover', async () => {
    cluster.moveLeadership(1);
    await store.append(stream, events(2), { expectedRevision: 'no_stream' });
    const discovered = EventStoreDbStore.connect(cluster.discoverConnectionString);
    try {
      await discovered.append(stream, events(1), { expectedRevision: 1n });
    } finally {
      await discovered.close();
    }
    expect(appendsTo(0)).toHaveLength(0);
    expect(appendsTo(1)).toHaveLength(2);
    expect(appendsTo(2)).toHaveLength(0);
  });

  it('follows NotLeader to the newly elected leader: the append lands there, once', async () => {
    await store.append(stream, events(1), { expectedRevision: 'no_stream' });
    cluster.moveLeadership(1);
    const batch = events(2);
    const result = await store.append(stream, batch, { expectedRevision: 0n });
    expect(result.nextExpectedRevision).toBe(2n);
    // Node 0 refused it before deciding anything; node 1 wrote it.
    expect(appendsTo(0)).toHaveLength(1);
    expect(appendsTo(1)).toEqual([expect.objectContaining({ eventIds: batch.map((event) => event.id), decision: 'ok' })]);
    expect((await collect(store.readStream(stream))).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
  });

  it('when the leader dies mid-append: unavailable, then the retry reaches the new leader and writes the events once', async () => {
    await store.append(stream, events(1), { expectedRevision: 'no_stream' });
    const batch = events(2);
    cluster.leaderNode.writes.hold();
    const arrived = cluster.leaderNode.writes.arrival();
    const attempt = store.append(stream, batch, { expectedRevision: 0n }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await arrived;
    await cluster.failOver(2);
    expect(await attempt).toBeInstanceOf(EventStoreUnavailableError);

    // The command executor retries the same events; the client rediscovers the leader through gossip.
    const retried = await store.append(stream, batch, { expectedRevision: 0n });
    expect(retried.nextExpectedRevision).toBe(2n);
    expect(appendsTo(2)).toEqual([expect.objectContaining({ eventIds: batch.map((event) => event.id) })]);
    expect(await collect(store.readStream(stream))).toHaveLength(3);
  });
});
