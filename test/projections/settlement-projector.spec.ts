import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import { collect, formatPosition, StoredEvent } from '../../src/event-store/event-store.port';
import { openReadModels, ReadModelStore } from '../../src/read-models/read-model-data-source';
import { CheckpointMovedError, LEDGER_FILTER, SettlementProjector } from '../../src/settlement/read-models/settlement-projector';
import { MULTI_PERIOD } from '../support/multi-period';
import { snapshotReadModels } from '../support/read-model-snapshot';
import { seed } from '../support/seed';
import { dropSchema, POSTGRES_URL } from '../support/test-app';

async function openSqlite(): Promise<ReadModelStore> {
  return openReadModels({ url: 'sqlite::memory:' });
}

/**
 * A projector that has applied the first event, and another on the same read models that commits
 * the next event just before each of the first one's batches, `times` times: the checkpoint moves
 * under it each time.
 */
async function overtakenProjector(store: SqliteEventStore, readModels: ReadModelStore, events: StoredEvent[], times: number) {
  const overtaker = new SettlementProjector(store, readModels);
  const projector = new SettlementProjector(store, readModels);
  await projector.apply(events.slice(0, 1), null);
  const apply = projector.apply.bind(projector);
  let overtaken = 0;
  jest.spyOn(projector, 'apply').mockImplementation(async (batch, after) => {
    if (overtaken < times) {
      overtaken += 1;
      await overtaker.apply(events.slice(overtaken, overtaken + 1), events[overtaken - 1].position);
    }
    return apply(batch, after);
  });
  return { projector, overtaken: () => overtaken };
}

describe('settlement projector', () => {
  it('leaves rows and checkpoint untouched when a batch fails, and carries on from where it was', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    await seed(store, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1);
    const readModels = await openSqlite();
    const projector = new SettlementProjector(store, readModels);
    const events = await collect(store.readAll({ filter: LEDGER_FILTER }));
    await projector.apply(events.slice(0, 5), null);
    const before = await snapshotReadModels(readModels, { withLedgerState: true });
    const storedCheckpoint = async () => (await readModels.dataSource.manager.findOne(readModels.entities.Checkpoint, { where: { name: 'settlement' } }))?.position;
    expect(await storedCheckpoint()).toBe(projector.status().checkpoint);
    const checkpoint = await storedCheckpoint();

    const costAt = events.findIndex((event, index) => index >= 5 && event.type === 'DefinedCostRecorded');
    const poisoned: StoredEvent = { ...events[costAt], data: { ...events[costAt].data, amount: 'not money' } };
    await expect(projector.apply([...events.slice(5, costAt), poisoned], events[4].position)).rejects.toThrow(/Not a money amount/);
    expect(await snapshotReadModels(readModels, { withLedgerState: true })).toEqual(before);
    expect(await storedCheckpoint()).toBe(checkpoint);

    await projector.apply(events.slice(5), events[4].position);
    const live = await snapshotReadModels(readModels, { withLedgerState: true });
    await projector.rebuild();
    expect(await snapshotReadModels(readModels, { withLedgerState: true })).toEqual(live);
    await readModels.dataSource.destroy();
    await store.close();
  });

  it('neither skips nor repeats events when two projectors work the same database at once (PostgreSQL)', async () => {
    const schema = `ledger_projector_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const store = new SqliteEventStore({ path: ':memory:' });
    await seed(store, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1 + MULTI_PERIOD.q2 + MULTI_PERIOD.q3);
    const [first, second] = await Promise.all([openReadModels({ url: POSTGRES_URL, schema }), openReadModels({ url: POSTGRES_URL, schema })]);
    try {
      const events = await collect(store.readAll({ filter: LEDGER_FILTER }));
      const a = new SettlementProjector(store, first);
      const b = new SettlementProjector(store, second);
      const feed = async (projector: SettlementProjector, size: number) => {
        for (let index = 0; index < events.length; index += size) {
          await projector.apply(events.slice(index, index + size), index > 0 ? events[index - 1].position : null).catch((error) => {
            if (!(error instanceof CheckpointMovedError)) throw error;
          });
        }
        await projector.catchUp();
      };
      await Promise.all([feed(a, 3), feed(b, 5)]);
      const live = await snapshotReadModels(first);
      expect(live.PeriodSummary).toHaveLength(3);
      const ledger = await first.dataSource.manager.find(first.entities.LedgerState);
      expect(ledger[0].eventCount).toBe(events.length);
      await a.rebuild();
      expect(await snapshotReadModels(first)).toEqual(live);
    } finally {
      await first.dataSource.destroy();
      await second.dataSource.destroy();
      await store.close();
      await dropSchema(schema);
    }
  });

  it('refuses a batch that begins past its checkpoint, which would skip the events between, and takes it from the checkpoint', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    await seed(store, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1);
    const readModels = await openSqlite();
    const projector = new SettlementProjector(store, readModels);
    const events = await collect(store.readAll({ filter: LEDGER_FILTER }));
    await projector.apply(events.slice(0, 3), null);
    const before = await snapshotReadModels(readModels, { withLedgerState: true });
    await expect(projector.apply(events.slice(5), events[4].position)).rejects.toThrow(CheckpointMovedError);
    expect(await snapshotReadModels(readModels, { withLedgerState: true })).toEqual(before);
    // Overlapping the checkpoint is fine: what it already holds is skipped.
    await projector.apply(events.slice(1), events[0].position);
    const ledger = await readModels.dataSource.manager.find(readModels.entities.LedgerState);
    expect(ledger[0].eventCount).toBe(events.length);
    await readModels.dataSource.destroy();
    await store.close();
  });

  it('catches up to the end however often another projector moves the checkpoint under it', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    await seed(store, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1 + MULTI_PERIOD.q2);
    const readModels = await openSqlite();
    const events = await collect(store.readAll({ filter: LEDGER_FILTER }));
    // Before each of its first five batches, the other projector commits one more event.
    const { projector, overtaken } = await overtakenProjector(store, readModels, events, 5);
    await projector.catchUp();
    expect(overtaken()).toBe(5);
    const ledger = await readModels.dataSource.manager.find(readModels.entities.LedgerState);
    expect(ledger[0].eventCount).toBe(events.length);
    expect(projector.status().checkpoint).toBe(formatPosition(events[events.length - 1].position));
    await readModels.dataSource.destroy();
    await store.close();
  });

  it('stops starting again once its deadline has passed, short of the head, rather than keep a reader waiting', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    await seed(store, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1);
    const readModels = await openSqlite();
    const events = await collect(store.readAll({ filter: LEDGER_FILTER }));
    // Overtaken before every batch it applies.
    const { projector, overtaken } = await overtakenProjector(store, readModels, events, Infinity);
    await projector.catchUp(Date.now() - 1);
    expect(overtaken()).toBe(1);
    expect(projector.status().checkpoint).not.toBe(formatPosition(events[events.length - 1].position));
    await readModels.dataSource.destroy();
    await store.close();
  });

  it('tells from memory that it is current only while the store has not moved since it looked', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    await seed(store, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1);
    const readModels = await openSqlite();
    const projector = new SettlementProjector(store, readModels);
    expect(projector.currentNow()).toBeUndefined();
    expect(await projector.waitUntilCurrent()).toBe(true);
    const head = await store.headPosition(LEDGER_FILTER);
    expect(projector.currentNow()).toEqual({ status: 'current', checkpoint: formatPosition(head!), lagSeconds: 0 });
    await seed(store, 'tq', MULTI_PERIOD.closeQ1);
    expect(projector.currentNow()).toBeUndefined();
    expect((await projector.freshness()).status).toBe('behind');
    expect(await projector.waitUntilCurrent()).toBe(true);
    expect(projector.currentNow()?.checkpoint).toBe(formatPosition((await store.headPosition(LEDGER_FILTER))!));
    await readModels.dataSource.destroy();
    await store.close();
  });

  it('projects any history in any batches to what a rebuild gives (property)', async () => {
    const costLine = fc.record({
      scheme: fc.constantFrom('A', 'B', 'C'),
      amount: fc.integer({ min: 1, max: 5_000_000 }),
      disallow: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
      reverse: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(costLine, { minLength: 1, maxLength: 25 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }), fc.boolean(), async (costs, batchSizes, closeFirst) => {
        const store = new SqliteEventStore({ path: ':memory:' });
        const lines: object[] = [];
        ['A', 'B', 'C'].forEach((scheme, index) => {
          lines.push({ command: 'RegisterScheme', data: { schemeId: scheme, name: scheme } });
          lines.push({ command: 'SetTargetBaseline', data: { schemeId: scheme, periodId: '2026-Q1', amount: `${(index + 1) * 1000000}.00` } });
        });
        costs.forEach((line, index) => {
          const periodId = closeFirst && index >= costs.length / 2 ? '2026-Q2' : '2026-Q1';
          if (closeFirst && index === Math.ceil(costs.length / 2)) {
            lines.push({ command: 'RecordKpiMeasurement', data: { kpiId: 'milestones', periodId: '2026-Q1', value: '90' } });
            lines.push({ command: 'RecordHoursWorked', data: { periodId: '2026-Q1', hours: '1000' } });
            lines.push({ command: 'ClosePeriod', data: { periodId: '2026-Q1' } });
          }
          const costId = `L${index}`;
          lines.push({ command: 'RecordDefinedCost', data: { schemeId: line.scheme, periodId, costId, amount: `${line.amount}.00` } });
          if (line.disallow) lines.push({ command: 'DisallowCost', data: { schemeId: line.scheme, periodId, costId, amount: `${Math.min(line.disallow, line.amount)}.00`, reason: 'x' } });
          if (line.reverse) lines.push({ command: 'ReverseDefinedCost', data: { schemeId: line.scheme, periodId, costId, reason: 'x' } });
          if (index === 3) lines.push({ command: 'CompleteScheme', data: { schemeId: line.scheme, periodId } });
        });
        const opening = '{"command":"OpenPeriod","data":{"periodId":"2026-Q2","startDate":"2026-04-01","endDate":"2026-06-30"}}\n';
        await seed(store, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1.split('\n')[0] + '\n' + opening + lines.map((line) => JSON.stringify(line)).join('\n'));
        const readModels = await openSqlite();
        const projector = new SettlementProjector(store, readModels);
        const events = await collect(store.readAll({ filter: LEDGER_FILTER }));
        let index = 0;
        for (let batch = 0; index < events.length; batch += 1) {
          const size = batchSizes[batch % batchSizes.length];
          await projector.apply(events.slice(index, index + size), index > 0 ? events[index - 1].position : null);
          index += size;
        }
        const live = await snapshotReadModels(readModels, { withLedgerState: true });
        await projector.rebuild();
        expect(await snapshotReadModels(readModels, { withLedgerState: true })).toEqual(live);
        await readModels.dataSource.destroy();
        await store.close();
      }),
      { numRuns: 15 },
    );
  });

  it('keeps the PostgreSQL schema, as migrated, in step with the entities', async () => {
    const schema = `ledger_migrations_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const readModels = await openReadModels({ url: POSTGRES_URL, schema });
    try {
      const pending = await readModels.dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
      const migrations = await readModels.dataSource.query(`SELECT name FROM "${schema}".read_model_migrations`);
      expect(migrations).toEqual([{ name: 'CreateReadModels1767225600000' }, { name: 'CreateStatementSignOffs1767312000000' }, { name: 'CreateWebhookTables1767398400000' }, { name: 'CreateReportingViewsV11767484800000' }]);
    } finally {
      await readModels.dataSource.destroy();
      await dropSchema(schema);
    }
  });
});
