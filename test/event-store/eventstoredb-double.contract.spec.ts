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
