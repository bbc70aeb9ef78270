import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { StoredEvent } from '../event-store/event-store.port';
import { MULTI_PERIOD } from '../../test/support/multi-period';
import { seed } from '../../test/support/seed';
import { explainPeriod } from '../settlement/domain/explanation';
import { EXPLAIN_PAGE } from './explained-period';
import { LedgerHistory } from '../settlement/queries/ledger-history';

const PERIODS = ['2026-Q1', '2026-Q2', '2026-Q3'];

describe('explanations from snapshots', () => {
  let store: SqliteEventStore;
  let history: LedgerHistory;
  beforeAll(async () => {
    store = new SqliteEventStore({ path: ':memory:' });
    const clock = { now: () => new Date() };
    history = new LedgerHistory(store, clock);
    await seed(store, 'ex', MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1 + MULTI_PERIOD.q2 + MULTI_PERIOD.q3, clock);
  });
  afterAll(() => store.close());

  it('list the same events as the full replay, and count and subtotal them per scheme', async () => {
    for (const periodId of PERIODS) {
      const replay = await history.replay('ex', periodId, { keepInputs: true });
      const full = explainPeriod(replay.state, replay.inputs, periodId)!;
      const { explanation } = await history.explainedAsAt('ex', periodId);
      const listed = explanation!.figures.map(({ eventCount: _count, bySchemes: _schemes, ...figure }) => figure);
      expect(listed).toEqual(full.figures);
      for (const figure of explanation!.figures) {
        expect(figure.eventCount).toBe(full.figures.find((other) => other.figure === figure.figure)!.events.length);
        if (!figure.bySchemes) continue;
        const total = figure.bySchemes.reduce((sum, scheme) => sum + BigInt(scheme.amount.replace('.', '')), 0n);
        expect(total).toBe(BigInt(String(figure.value).replace('.', '')));
        expect(figure.bySchemes.reduce((sum, scheme) => sum + scheme.eventCount, 0)).toBe(figure.eventCount);
      }
    }
  });

  it('list only the first page of a figure made of many events', async () => {
    const large = new SqliteEventStore({ path: ':memory:' });
    const largeHistory = new LedgerHistory(large, { now: () => new Date() });
    await seed(large, 'big', MULTI_PERIOD.alliance + MULTI_PERIOD.q1);
    const costs = Array.from({ length: EXPLAIN_PAGE + 30 }, (_, i) => JSON.stringify({ command: 'RecordDefinedCost', data: { schemeId: 'A', periodId: '2026-Q1', costId: `X-${i}`, amount: '1.00' } })).join('\n');
    await seed(large, 'big', costs);
    const replay = await largeHistory.replay('big', '2026-Q1', { keepInputs: true });
    const full = explainPeriod(replay.state, replay.inputs, '2026-Q1')!.figures.find((figure) => figure.figure === 'cost.outturn')!;
    const outturn = (await largeHistory.explainedAsAt('big', '2026-Q1')).explanation!.figures.find((figure) => figure.figure === 'cost.outturn')!;
    expect(full.events.length).toBeGreaterThan(EXPLAIN_PAGE);
    expect(outturn.events).toEqual(full.events.slice(0, EXPLAIN_PAGE));
    expect(outturn.eventCount).toBe(full.events.length);
    expect(outturn.bySchemes).toEqual([
      { schemeId: 'A', amount: expect.any(String), eventCount: full.events.length, events: '/alliances/big/events?stream=scheme.A&type=DefinedCostRecorded,CostDisallowed,DefinedCostReversed' },
    ]);
    await large.close();
  });

  it('explain the past from the events recorded by then', async () => {
    const events: StoredEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    const middle = new Date(Date.parse(events[Math.floor(events.length / 2)].metadata.recordedAt!));
    for (const periodId of PERIODS) {
      const replay = await history.replay('ex', periodId, { asAt: middle, keepInputs: true });
      const { state, explanation } = await history.explainedAsAt('ex', periodId, middle);
      expect(state).toEqual(replay.state);
      const full = replay.state.periods.some((period) => period.periodId === periodId) ? explainPeriod(replay.state, replay.inputs, periodId) : undefined;
      expect(explanation?.figures.map(({ eventCount: _count, bySchemes: _schemes, ...figure }) => figure)).toEqual(full?.figures);
    }
  });
});
