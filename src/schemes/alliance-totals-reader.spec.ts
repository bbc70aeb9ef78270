import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { EventStore } from '../event-store/event-store.port';
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

  it('counts what this process appended without reading it back, and reads what anyone else appended, each event once', async () => {
    const reader = new AllianceTotalsReader(store);
    const scheme = streamNames.scheme('sma', 'A');
    const cost = (costId: string, amount: string) => ({ type: 'DefinedCostRecorded', data: { ...fact, costId, amount, description: null } });
    expect(await reader.read('sma')).toEqual({ target: 0n, cost: 0n });
    const reads = jest.spyOn(store, 'readAll');

    const mine = [cost('C1', '10.00'), cost('C2', '2.50')];
    reader.appended('sma', scheme, mine, await store.append(scheme, mine, { expectedRevision: 'any' }));
    // Another stream of the alliance moves nothing, but follows on.
    const periods = [{ type: 'PeriodOpened', data: { periodId: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30' } }];
    reader.appended('sma', streamNames.periods('sma'), periods, await store.append(streamNames.periods('sma'), periods, { expectedRevision: 'any' }));
    expect(await reader.read('sma')).toEqual({ target: 0n, cost: 1250n });
    expect(reads).not.toHaveBeenCalled();

    // Someone else's append, then one of this process's: the notice no longer follows on, so both are read.
    await store.append(scheme, [cost('C3', '1.00')], { expectedRevision: 'any' });
    const later = [cost('C4', '0.01')];
    reader.appended('sma', scheme, later, await store.append(scheme, later, { expectedRevision: 'any' }));
    expect(await reader.read('sma')).toEqual({ target: 0n, cost: 1351n });
    expect(reads).toHaveBeenCalledTimes(1);

    // A notice of what a read has already counted changes nothing.
    const counted = [cost('C5', '5.00')];
    const result = await store.append(scheme, counted, { expectedRevision: 'any' });
    expect(await reader.read('sma')).toEqual({ target: 0n, cost: 1851n });
    reader.appended('sma', scheme, counted, result);
    expect(await reader.read('sma')).toEqual({ target: 0n, cost: 1851n });
  });

  it('reads everything back on a store without a local head (EventStoreDB)', async () => {
    // What the reader uses of a store, without localHead.
    const remote = { readAll: store.readAll.bind(store) } as unknown as EventStore;
    const reader = new AllianceTotalsReader(remote);
    const scheme = streamNames.scheme('sma', 'A');
    expect(await reader.read('sma')).toEqual({ target: 0n, cost: 0n });
    const events = [{ type: 'DefinedCostRecorded', data: { ...fact, costId: 'C1', amount: '3.00', description: null } }];
    const result = await store.append(scheme, events, { expectedRevision: 'any' });
    reader.appended('sma', scheme, events, result);
    reader.appended('sma', scheme, events, result);
    expect(await reader.read('sma')).toEqual({ target: 0n, cost: 300n });
  });

  it('leaves a retry that wrote nothing to the next read, since its events may lie apart in the log', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-totals-'));
    const other = new SqliteEventStore({ path: join(directory, 'events.db') });
    const mineStore = new SqliteEventStore({ path: join(directory, 'events.db') });
    try {
      const scheme = streamNames.scheme('sma', 'A');
      const cost = (id: string, costId: string, amount: string) => ({ id, type: 'DefinedCostRecorded', data: { ...fact, costId, amount, description: null } });
      const [first, second] = [randomUUID(), randomUUID()];
      // Another process writes the first cost, then (after this one's reader has read) a cost on another scheme and the second.
      await other.append(scheme, [cost(first, 'C1', '1.00')], { expectedRevision: 'no_stream' });
      await new Promise((resolve) => setImmediate(resolve));
      const reader = new AllianceTotalsReader(mineStore);
      expect(await reader.read('sma')).toEqual({ target: 0n, cost: 100n });
      await other.append(streamNames.scheme('sma', 'B'), [cost(randomUUID(), 'B1', '5.00')], { expectedRevision: 'any' });
      await other.append(scheme, [cost(second, 'C2', '2.00')], { expectedRevision: 0n });
      await new Promise((resolve) => setImmediate(resolve));
      // This process then sends both again as one append: a retry, at positions 1 and 3, not 2 and 3.
      const both = [cost(first, 'C1', '1.00'), cost(second, 'C2', '2.00')];
      const retried = await mineStore.append(scheme, both, { expectedRevision: 'no_stream' });
      expect(retried.retried).toBe(true);
      reader.appended('sma', scheme, both, retried);
      expect(await reader.read('sma')).toEqual({ target: 0n, cost: 800n });
    } finally {
      await other.close();
      await mineStore.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
