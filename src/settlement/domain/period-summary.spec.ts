import { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import { collect } from '../../event-store/event-store.port';
import { MULTI_PERIOD } from '../../../test/support/multi-period';
import { seed } from '../../../test/support/seed';
import { ndjson } from '../../../test/support/test-app';
import { evolveLedger, initialLedger, LEDGER_EVENT_TYPES, LedgerEvent, LedgerState } from './ledger';
import { describePeriod, summarizePeriod } from './period-summary';

/**
 * Period figures at the edges the worked example and the three quarters do not reach: a period
 * with nothing recorded, two periods open at once, a fact that arrived after its period was
 * certified, a gain cap that bites, a time-on-site KPI, a cancelled period, a pending close.
 * (The three quarters: test/support/multi-period.ts; shares 0.25 below R 0.9, 0.5 to 1.1, 0.75 above.)
 */
const clock = { now: () => new Date('2026-07-02T09:00:00.000Z') };

async function ledgerOf(allianceId: string, text: string): Promise<LedgerState> {
  const store = new SqliteEventStore({ path: ':memory:' });
  try {
    await seed(store, allianceId, text, clock);
    const state = initialLedger(allianceId);
    for (const event of await collect(store.readAll())) if (LEDGER_EVENT_TYPES.has(event.type)) evolveLedger(state, event as unknown as LedgerEvent);
    return state;
  } finally {
    await store.close();
  }
}

/** A fact folded in as the store would hand it over, for what no command may write any more. */
function fold(state: LedgerState, type: string, data: Record<string, unknown>): void {
  evolveLedger(state, { type, data: { allianceId: state.allianceId, ...data } } as unknown as LedgerEvent);
}

const openQ2 = ndjson({ command: 'OpenPeriod', data: { periodId: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30' } });

describe('a period’s figures', () => {
  it('are all zero, with no ratio, score or KPI values, for a period with nothing recorded', async () => {
    const state = await ledgerOf('empty', MULTI_PERIOD.alliance + ndjson({ command: 'OpenPeriod', data: { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31' } }));
    const summary = summarizePeriod(state, '2026-Q1')!;
    expect(summary.cost).toEqual({
      target: '0.00',
      outturn: '0.00',
      variance: '0.00',
      ratio: null,
      partnersShare: '0.00',
      ownerShare: '0.00',
      capApplied: null,
      partnersShareThisPeriod: '0.00',
      previousPartnersShare: '0.00',
    });
    expect(summary.performance).toMatchObject({ score: null, gated: false, amount: '0.00', missingKpis: ['afr', 'milestones'] });
    expect(summary.performance.kpis.map(({ value, score }) => [value, score])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(summary.partners.every((partner) => partner.total === '0.00')).toBe(true);
  });

  it('count, while two periods are open, only the schemes completed and the facts recorded by each', async () => {
    const state = await ledgerOf(
      'open',
      MULTI_PERIOD.alliance +
        MULTI_PERIOD.q1 +
        openQ2 +
        ndjson(
          { command: 'RecordDefinedCost', data: { schemeId: 'A', periodId: '2026-Q2', costId: 'A-3', amount: '5000000.00' } },
          { command: 'RecordDefinedCost', data: { schemeId: 'B', periodId: '2026-Q2', costId: 'B-2', amount: '45000000.00' } },
          { command: 'CompleteScheme', data: { schemeId: 'B', periodId: '2026-Q2' } },
        ),
    );
    // Q1: A alone (B completed in Q2; A-3 recorded in Q2). T 100m, A 90m: half the 10m gain.
    expect(summarizePeriod(state, '2026-Q1')!.cost).toMatchObject({ target: '100000000.00', outturn: '90000000.00', partnersShare: '5000000.00' });
    // Q2: A and B, T 150m, A 90 + 5 + 20 + 45 = 160m: half the 10m pain, measured from Q1 as it stands (open).
    expect(summarizePeriod(state, '2026-Q2')!.cost).toMatchObject({
      target: '150000000.00',
      outturn: '160000000.00',
      partnersShare: '-5000000.00',
      previousPartnersShare: '5000000.00',
      partnersShareThisPeriod: '-10000000.00',
    });
  });

  it('carry a fact that reached a certified period into the next one, measured from the certified share', async () => {
    const state = await ledgerOf('late', MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1 + openQ2);
    // Only a race between instances lets this in: a cost for Q1 after Q1 was certified.
    fold(state, 'DefinedCostRecorded', { schemeId: 'A', periodId: '2026-Q1', costId: 'A-LATE', amount: '1000000.00', description: null });
    expect(state.lateFacts).toBe(1);
    expect(summarizePeriod(state, '2026-Q1')!.cost.partnersShare).toBe('5000000.00');
    // A 91m against T 100m: half the 9m gain, 4.5m; Q1 certified 5m, so Q2 carries −0.5m.
    expect(summarizePeriod(state, '2026-Q2')!.cost).toMatchObject({ partnersShare: '4500000.00', previousPartnersShare: '5000000.00', partnersShareThisPeriod: '-500000.00' });
  });

  it('cap the partners’ share of a gain at the gain cap', async () => {
    const formed = JSON.parse(MULTI_PERIOD.alliance.split('\n')[0]) as { command: string; data: Record<string, unknown> };
    const capped = ndjson({ ...formed, data: { ...formed.data, gainCap: '2000000.00' } }) + MULTI_PERIOD.alliance.split('\n').slice(1).join('\n');
    const state = await ledgerOf('capped', capped + MULTI_PERIOD.q1);
    expect(summarizePeriod(state, '2026-Q1')!.cost).toMatchObject({ partnersShare: '2000000.00', ownerShare: '8000000.00', capApplied: 'gain' });
  });

  it('take a time-on-site KPI from the site dates of the schemes reopened in the period', async () => {
    const state = await ledgerOf(
      'site',
      MULTI_PERIOD.alliance +
        ndjson({ command: 'DefineKpi', data: { kpiId: 'site', name: 'Time on site', unit: '% of planned', source: 'time-on-site', poor: '130', mcos: '100', outstanding: '80', weight: '0.2', gate: false } }) +
        MULTI_PERIOD.q1,
    );
    // 30 days planned, 39 on site: 130%, the poor anchor.
    fold(state, 'SiteDatesRecorded', { schemeId: 'A', periodId: '2026-Q1', plannedStart: '2026-01-05', plannedReopen: '2026-02-03', actualStart: '2026-01-05', actualReopen: '2026-02-12' });
    expect(summarizePeriod(state, '2026-Q1')!.performance.kpis.find((kpi) => kpi.kpiId === 'site')).toMatchObject({ value: '130.000000', score: '-100.0000' });
  });

  it('say a cancelled period is cancelled, and carry a pending close proposal only while there is one', async () => {
    const state = await ledgerOf('cancel', MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + openQ2);
    expect(describePeriod(state, '2026-Q2')).not.toHaveProperty('closeProposal');
    const proposal = { proposedBy: 'alice', proposedAt: '2026-07-01T00:00:00.000Z', digest: 'sha256:x' };
    state.periods[1].closeProposal = proposal as never;
    expect(describePeriod(state, '2026-Q2')).toMatchObject({ status: 'provisional', closeProposal: proposal });
    expect(summarizePeriod(state, '2026-Q2')).not.toHaveProperty('closeProposal');
    state.periods[1].cancelled = true;
    expect(summarizePeriod(state, '2026-Q2')).toMatchObject({ periodId: '2026-Q2', status: 'cancelled' });
    expect(describePeriod(state, '2026-Q9')).toBeUndefined();
  });
});
