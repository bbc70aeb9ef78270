import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { streamNames } from '../shared/stream-names';
import { AllianceTotalsReader } from './alliance-totals-reader';

describe('alliance totals from the event store', () => {
  const fact = { allianceId: 'sma', schemeId: 'A', periodId: '2026-Q1' };
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('adds baselines, the size of compensation events and every cost line, reading only what is new each time', async () => {
    const reader = new AllianceTotalsReader(store);
    const scheme = streamNames.scheme('sma', 'A');
    await store.append(
      scheme,
      [
        { type: 'TargetBaselineSet', data: { ...fact, amount: '100.00' } },
        { type: 'CompensationEventImplemented', data: { ...fact, ceId: 'CE1', amount: '-30.00', reason: null } },
        { type: 'CompensationEventReversed', data: { ...fact, ceId: 'CE1', amount: '-30.00', reason: 'x' } },
        { type: 'DefinedCostRecorded', data: { ...fact, costId: 'C1', amount: '50.00', description: null } },
        { type: 'DefinedCostReversed', data: { ...fact, costId: 'C1', amount: '50.00', disallowedAmount: '0.00', reason: 'x' } },
      ],
      { expectedRevision: 'any' },
    );
    expect(await reader.read('sma')).toEqual({ target: 13000n, cost: 5000n });
    expect(await reader.read('sma')).toEqual({ target: 13000n, cost: 5000n });
    await store.append(scheme, [{ type: 'DefinedCostRecorded', data: { ...fact, costId: 'C2', amount: '1.00', description: null } }], { expectedRevision: 'any' });
    await store.append(streamNames.scheme('other', 'A'), [{ type: 'DefinedCostRecorded', data: { ...fact, allianceId: 'other', costId: 'C1', amount: '7.00', description: null } }], {
      expectedRevision: 'any',
    });
    const [first, second] = await Promise.all([reader.read('sma'), reader.read('sma')]);
    expect(first).toEqual({ target: 13000n, cost: 5100n });
    expect(second).toEqual(first);
    expect(await reader.read('other')).toEqual({ target: 0n, cost: 700n });
  });
});
