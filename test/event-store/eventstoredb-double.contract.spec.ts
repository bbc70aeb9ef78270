import { EventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { EventStoreDbDouble } from '../eventstoredb-double/eventstoredb-double';
import { describeEventStoreContract } from './event-store.contract';

const double = new EventStoreDbDouble();

describeEventStoreContract(
  'EventStoreDB adapter through @eventstore/db-client, against the wire-level double',
  async () => {
    await double.start();
    return EventStoreDbStore.connect(double.connectionString);
  },
  async (store) => {
    await store.close();
    await double.stop();
  },
);

// A server before 21.10 has no BatchAppend: the client appends through the older Append RPC, a
// different path with its own way of answering WrongExpectedVersion. The same contract holds.
const olderServer = new EventStoreDbDouble({ batchAppend: false });

describeEventStoreContract(
  'EventStoreDB adapter against a server without BatchAppend (the client falls back to Append)',
  async () => {
    await olderServer.start();
    return EventStoreDbStore.connect(olderServer.connectionString);
  },
  async (store) => {
    expect(olderServer.requests.appends.length).toBeGreaterThan(0);
    expect(olderServer.requests.appends.every((append) => append.method === 'append')).toBe(true);
    await store.close();
    await olderServer.stop();
  },
);
