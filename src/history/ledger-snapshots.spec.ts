import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { collect, StoredEvent } from '../event-store/event-store.port';
import { CommandCatalogue } from '../commanding/command-catalogue';
import { ImportSession, linesOf } from '../imports/import-session';
import { streamNames } from '../shared/stream-names';
import { evolveLedger, initialLedger, LEDGER_EVENT_TYPES, LedgerEvent, LedgerState } from '../settlement/domain/ledger';
import { LedgerHistory, recordedAt } from '../settlement/queries/ledger-history';
import { LedgerSnapshots } from './ledger-snapshots';

const T0 = Date.parse('2026-02-01T00:00:00Z');
const SETUP = readFileSync(join(__dirname, '../../test/fixtures/worked-example.ndjson'), 'utf8').trim().split('\n').slice(0, 13).join('\n');

/** The ledger the slow way: every event of the alliance recorded by `asAt` (and at or before `upTo`), in log order. */
async function folded(store: SqliteEventStore, allianceId: string, asAt: number, upTo = Number.POSITIVE_INFINITY): Promise<LedgerState> {
  const state = initialLedger(allianceId);
  for (const event of await collect(store.readAll({ filter: { streamNamePrefixes: [streamNames.alliancePrefix(allianceId)] } }))) {
    if (recordedAt(event) <= asAt && Number(event.position.commit) <= upTo && LEDGER_EVENT_TYPES.has(event.type)) evolveLedger(state, event as unknown as LedgerEvent);
  }
  return state;
}

/** Cost lines on scheme A, each second, with every seventh recorded by a writer whose clock ran 5 s behind. */
async function appendCosts(store: SqliteEventStore, from: number, count: number): Promise<void> {
  const stream = streamNames.scheme('snap', 'A');
  let revision = -1n;
  for await (const event of store.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 })) revision = event.revision;
  for (let i = from; i < from + count; i += 1) {
    const at = T0 + 60_000 + i * 1000 - (i % 7 === 0 ? 5000 : 0);
    const event = {
      type: 'DefinedCostRecorded',
      data: { allianceId: 'snap', schemeId: 'A', periodId: '2026-Q1', costId: `C-${i}`, amount: `${i + 1}.00`, description: null },
      metadata: { commandId: `c-${i}`, actor: 'test', recordedAt: new Date(at).toISOString() },
    };
    revision = (await store.append(stream, [event], { expectedRevision: revision })).nextExpectedRevision;
  }
}

/** An embedded store holding the worked example's set-up for alliance `snap`. */
async function seededStore(): Promise<SqliteEventStore> {
  const store = new SqliteEventStore({ path: ':memory:' });
  const clock = { now: () => new Date(T0) };
  await new ImportSession({ store, catalogue: new CommandCatalogue(), services: new LedgerHistory(store, clock), clock }, 'snap', { importId: 'seed', actor: 'test' }).run(linesOf(SETUP));
  return store;
}

describe('LedgerSnapshots', () => {
  it('gives the same ledger as folding every event recorded by then, at any instant, as the history grows', async () => {
    const store = await seededStore();
    // A tiny spacing and room for four snapshots, so thinning happens too.
    const snapshots = new LedgerSnapshots(store, (event: StoredEvent) => recordedAt(event), { spacing: 10, maxSnapshots: 4 });
    await appendCosts(store, 0, 60);
    const instants = (upTo: number) => [T0 - 1, T0, ...Array.from({ length: upTo }, (_, i) => T0 + 60_000 + i * 1000 - 2500), T0 + 10_000_000];
    for (const asAt of instants(60)) expect(await snapshots.stateAsAt('snap', new Date(asAt))).toEqual(await folded(store, 'snap', asAt));

    await appendCosts(store, 60, 45);
    for (const asAt of instants(105)) expect(await snapshots.stateAsAt('snap', new Date(asAt))).toEqual(await folded(store, 'snap', asAt));
    expect(await snapshots.stateAsAt('snap')).toEqual(await folded(store, 'snap', Number.POSITIVE_INFINITY));

    // Up to a position (a certificate's last input), at instants before and after it was recorded.
    const head = Number((await store.headPosition())!.commit);
    for (const upTo of [5, 20, 37, 64, head - 3]) {
      for (const asAt of [T0 + 80_000, T0 + 10_000_000]) {
        const fold = await snapshots.foldAsAt('snap', { asAt: new Date(asAt), upTo: { commit: BigInt(upTo), prepare: BigInt(upTo) } });
        expect(fold.ledger).toEqual(await folded(store, 'snap', asAt, upTo));
        const costs = (await collect(store.readAll())).filter((event) => event.type === 'DefinedCostRecorded' && recordedAt(event) <= asAt && Number(event.position.commit) <= upTo);
        expect(fold.tally.A?.['2026-Q1']?.outturn ?? 0).toBe(costs.filter((event) => event.data.schemeId === 'A').length);
      }
    }
    await store.close();
  });

  it("finds the alliance's n-th event by counting from the nearest snapshot, as the history grows and snapshots thin", async () => {
    const store = await seededStore();
    // Another alliance's events in between, so the n-th event of this one is not the n-th of the log.
    await store.append(streamNames.scheme('other', 'A'), [{ type: 'DefinedCostRecorded', data: {} }], { expectedRevision: 'any' });
    const snapshots = new LedgerSnapshots(store, (event: StoredEvent) => recordedAt(event), { spacing: 10, maxSnapshots: 4 });
    await appendCosts(store, 0, 30);
    const check = async () => {
      const own = await collect(store.readAll({ filter: { streamNamePrefixes: [streamNames.alliancePrefix('snap')] } }));
      for (const n of [1, 2, 9, 10, 11, 20, 29, own.length - 1, own.length]) expect(await snapshots.positionOfEvent('snap', n)).toEqual(own[n - 1].position);
      expect(await snapshots.positionOfEvent('snap', 0)).toBeNull();
      expect(await snapshots.positionOfEvent('snap', own.length + 1)).toBeNull();
    };
    await check();
    await appendCosts(store, 30, 45);
    await check();
    await store.close();
  });

  it('hands out copies: what a caller does with a ledger never reaches the next one', async () => {
    const store = await seededStore();
    const snapshots = new LedgerSnapshots(store, (event: StoredEvent) => recordedAt(event), { spacing: 2, maxSnapshots: 10 });
    const first = await snapshots.stateAsAt('snap');
    first.schemes.A.baseline = 1n;
    first.periods.length = 0;
    expect(await snapshots.stateAsAt('snap')).toEqual(await folded(store, 'snap', Number.POSITIVE_INFINITY));

    // Up to a position (a certificate's last input), at instants before and after it was recorded.
    const head = Number((await store.headPosition())!.commit);
    for (const upTo of [5, 20, 37, 64, head - 3]) {
      for (const asAt of [T0 + 80_000, T0 + 10_000_000]) {
        const fold = await snapshots.foldAsAt('snap', { asAt: new Date(asAt), upTo: { commit: BigInt(upTo), prepare: BigInt(upTo) } });
        expect(fold.ledger).toEqual(await folded(store, 'snap', asAt, upTo));
        const costs = (await collect(store.readAll())).filter((event) => event.type === 'DefinedCostRecorded' && recordedAt(event) <= asAt && Number(event.position.commit) <= upTo);
        expect(fold.tally.A?.['2026-Q1']?.outturn ?? 0).toBe(costs.filter((event) => event.data.schemeId === 'A').length);
      }
    }
    await store.close();
  });
});
