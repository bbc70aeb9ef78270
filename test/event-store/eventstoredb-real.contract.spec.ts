import { EventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { describeEventStoreContract } from './event-store.contract';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract(`EventStoreDB at ${connectionString}`, async () => EventStoreDbStore.connect(connectionString));
} else {
  describe('EventStore contract: a real EventStoreDB', () => {
    // eslint-disable-next-line jest/no-disabled-tests
    it.skip('is skipped: set EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false, see docs/eventstoredb.md) to run the contract suite against one', () => undefined);
  });
}
