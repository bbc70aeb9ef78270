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

describe('the EventStoreDB adapter on the wire', () => {
  it('appended through BatchAppend, as it would against EventStoreDB 24.10, and read with server-side filters', () => {
    expect(double.calls.get('batchAppend')).toBeGreaterThan(0);
    expect(double.calls.get('append')).toBeUndefined();
    expect(double.calls.get('readAll')).toBeGreaterThan(0);
    expect(double.calls.get('subscribe')).toBeGreaterThan(0);
  });
});
