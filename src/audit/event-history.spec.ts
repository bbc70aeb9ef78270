import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { readAllianceEvents } from './event-history';
import { parseEventSearch } from './event-search';

describe('the event history of an alliance', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = new SqliteEventStore({ path: ':memory:' });
    for (const [stream, schemeId] of [
      ['ledger.sma.scheme.A', 'A'],
      ['ledger.sma.scheme.AB', 'AB'],
      ['ledger.sma.scheme.A', 'A'],
      ['ledger.sma.schemes-note', 'note'],
      ['ledger.smb.scheme.A', 'other alliance'],
    ]) {
      await store.append(stream, [{ type: 'DefinedCostRecorded', data: { schemeId } }], { expectedRevision: 'any' });
    }
  });
  afterEach(() => store.close());

  const streams = async (query: Record<string, string>) => (await readAllianceEvents(store, 'sma', parseEventSearch(query))).events.map((event) => event.streamName);

  it('reads one scheme’s stream, not another scheme whose id starts the same', async () => {
    expect(await streams({ scheme: 'A' })).toEqual(['ledger.sma.scheme.A', 'ledger.sma.scheme.A']);
    expect(await streams({ scheme: 'AB', order: 'newest' })).toEqual(['ledger.sma.scheme.AB']);
  });

  it('reads a family of streams by its name, and pages through one stream exactly', async () => {
    expect(await streams({ stream: 'scheme' })).toEqual(['ledger.sma.scheme.A', 'ledger.sma.scheme.AB', 'ledger.sma.scheme.A']);
    const first = await readAllianceEvents(store, 'sma', parseEventSearch({ scheme: 'A', limit: '1' }));
    expect(first.events).toHaveLength(1);
    expect(first.next).not.toBeNull();
    const second = await readAllianceEvents(store, 'sma', parseEventSearch({ scheme: 'A', limit: '1', after: first.next! }));
    expect(second.events.map((event) => event.revision)).toEqual(['1']);
    expect(second.next).toBeNull();
  });
});
