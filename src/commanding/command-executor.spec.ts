import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { collect, EventStore, ExpectedRevision, NewEvent } from '../event-store/event-store.port';
import { NO_TOTALS } from '../schemes/domain/alliance-totals';
import { DomainError } from '../shared/domain-error';
import { streamNames } from '../shared/stream-names';
import { ImportSession, linesOf } from '../imports/import-session';
import { fixture } from '../../test/support/test-app';
import { CommandCatalogue } from './command-catalogue';
import { CommandServices } from './command-definition';
import { CommandExecutor } from './command-executor';
import { StreamCache } from './stream-cache';

const clock = { now: () => new Date('2026-02-01T10:00:00Z') };
const services: CommandServices = {
  certifyPeriod: () => Promise.reject(new Error('not used')),
  countFacts: () => Promise.reject(new Error('not used')),
  today: () => clock.now().toISOString().slice(0, 10),
  allianceTotals: async () => NO_TOTALS,
};

/** A store where a rival writer slips an event into the target stream just before some of our appends. */
function contested(store: EventStore, target: string, interruptions: number): EventStore & { rivals: number } {
  const wrapper = Object.create(store) as EventStore & { rivals: number };
  wrapper.rivals = 0;
  wrapper.append = async (streamName: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }) => {
    if (streamName === target && wrapper.rivals < interruptions) {
      wrapper.rivals += 1;
      await store.append(
        streamName,
        [{ type: 'DefinedCostRecorded', data: { allianceId: 'sma', schemeId: 'A', periodId: '2026-Q1', costId: `RIVAL-${wrapper.rivals}`, amount: '1.00', description: null } }],
        { expectedRevision: 'any' },
      );
    }
    return store.append(streamName, events, options);
  };
  return wrapper;
}

async function seeded(): Promise<SqliteEventStore> {
  const store = new SqliteEventStore({ path: ':memory:' });
  const report = await new ImportSession({ store, catalogue: new CommandCatalogue(), services, clock }, 'sma', { importId: 'seed', actor: 'test' }).run(linesOf(fixture('worked-example.ndjson')));
  expect(report.error).toBeNull();
  return store;
}

const cost = (costId: string) => ({ allianceId: 'sma', schemeId: 'A', periodId: '2026-Q1', costId, amount: '10.00' });

describe('command executor', () => {
  const scheme = streamNames.scheme('sma', 'A');

  it('retries on fresh state when another writer got there first, losing neither event', async () => {
    const base = await seeded();
    const store = contested(base, scheme, 2);
    const executor = new CommandExecutor(store, clock, services, new CommandCatalogue(), new StreamCache(store));
    const result = await executor.execute('RecordDefinedCost', cost('MINE'), { actor: 'tester', commandId: randomUUID() });
    expect(result.outcome).toBe('recorded');
    const costIds = (await collect(base.readStream(scheme))).map((event) => event.data.costId).filter(Boolean);
    expect(costIds.slice(-3)).toEqual(['RIVAL-1', 'RIVAL-2', 'MINE']);
    await base.close();
  });

  it('answers 409 after a bounded number of attempts when the stream never stops changing, recording nothing of its own', async () => {
    const base = await seeded();
    const store = contested(base, scheme, Number.POSITIVE_INFINITY);
    const executor = new CommandExecutor(store, clock, services, new CommandCatalogue(), new StreamCache(store));
    await expect(executor.execute('RecordDefinedCost', cost('MINE'), { actor: 'tester' })).rejects.toMatchObject({ code: 'concurrency_conflict', kind: 'conflict' });
    expect(store.rivals).toBe(5);
    const costIds = (await collect(base.readStream(scheme))).map((event) => event.data.costId);
    expect(costIds).not.toContain('MINE');
    await base.close();
  });

  it('refuses a stale If-Match revision without retrying', async () => {
    const store = await seeded();
    const executor = new CommandExecutor(store, clock, services, new CommandCatalogue(), new StreamCache(store));
    const error = await executor.execute('RecordDefinedCost', cost('X'), { actor: 'tester', expectedRevision: 1n }).catch((caught) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'stale_revision', kind: 'stale' });
    await store.close();
  });

  it('stamps every event with who, when, the command id and the correlation id', async () => {
    const store = await seeded();
    const executor = new CommandExecutor(store, clock, services, new CommandCatalogue(), new StreamCache(store));
    await executor.execute('RecordDefinedCost', cost('STAMPED'), { actor: 'jo.bloggs', commandId: 'cmd-42', correlationId: 'valuation-7', causationId: 'request-9' });
    const [event] = (await collect(store.readStream(scheme, { direction: 'backwards', fromRevision: 'end', maxCount: 1 })));
    expect(event.metadata).toEqual({
      command: 'RecordDefinedCost',
      commandId: 'cmd-42',
      commandDigest: expect.stringMatching(/^[0-9a-f]{32}$/),
      correlationId: 'valuation-7',
      causationId: 'request-9',
      actor: 'jo.bloggs',
      recordedAt: '2026-02-01T10:00:00.000Z',
    });
    await store.close();
  });
});
