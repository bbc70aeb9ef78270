import { evolveLedger, findLedgerPeriod, initialLedger, LedgerEvent, LedgerState, schemeOutturn, schemeTarget } from './ledger';

/**
 * The ledger fold, one event at a time: what each fact does to a scheme's target and outturn (by
 * the period it was recorded in), to the periods, the KPIs, safety and sign-offs. The worked
 * example and the three quarters (ledger-scenarios.spec.ts) fold whole alliances; these are the
 * facts they do not hold: a compensation event reversed, a disallowed line reversed, a lost-time
 * incident, a KPI redefined, a close proposed and rejected, a statement signed off.
 */
function fold(state: LedgerState, type: string, data: Record<string, unknown>): LedgerState {
  return evolveLedger(state, { type, data: { allianceId: state.allianceId, ...data } } as unknown as LedgerEvent);
}

function ledgerWithScheme(): LedgerState {
  const state = initialLedger('sma');
  fold(state, 'PeriodOpened', { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31', sequence: 1 });
  fold(state, 'PeriodOpened', { periodId: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30', sequence: 2 });
  fold(state, 'SchemeRegistered', { schemeId: 'A', name: 'Scheme A' });
  return state;
}

const q1 = { schemeId: 'A', periodId: '2026-Q1' };
const q2 = { schemeId: 'A', periodId: '2026-Q2' };

describe('the ledger fold', () => {
  it('moves the target by the baseline and by compensation events, and back by a reversed one, in the period each was recorded', () => {
    const state = ledgerWithScheme();
    fold(state, 'TargetBaselineSet', { ...q1, amount: '1000.00' });
    fold(state, 'CompensationEventImplemented', { ...q1, ceId: 'CE-1', amount: '250.00' });
    fold(state, 'CompensationEventImplemented', { ...q1, ceId: 'CE-2', amount: '-40.00' });
    expect(state.schemes.A).toMatchObject({ baseline: 100_000n, compensation: 21_000n });
    fold(state, 'CompensationEventReversed', { ...q2, ceId: 'CE-1', amount: '250.00', reason: 'withdrawn' });
    const scheme = state.schemes.A;
    expect(scheme).toMatchObject({ baseline: 100_000n, compensation: -4_000n });
    expect(scheme.byPeriod).toEqual({ '2026-Q1': { target: 121_000n, outturn: 0n }, '2026-Q2': { target: -25_000n, outturn: 0n } });
    expect(schemeTarget(scheme)).toBe(96_000n);
  });

  it('takes a reversed cost line out of the outturn net of what was already disallowed from it', () => {
    const state = ledgerWithScheme();
    fold(state, 'DefinedCostRecorded', { ...q1, costId: 'C-1', amount: '1000.00', description: null });
    fold(state, 'DefinedCostRecorded', { ...q1, costId: 'C-2', amount: '500.00', description: null });
    fold(state, 'CostDisallowed', { ...q1, costId: 'C-1', disallowanceId: 'D-1', amount: '300.00', reason: 'not defined cost' });
    fold(state, 'DefinedCostReversed', { ...q2, costId: 'C-1', amount: '1000.00', disallowedAmount: '300.00', reason: 'wrong scheme' });
    const scheme = state.schemes.A;
    // Q1: 1,000 + 500 − 300; Q2: the line's remaining 700 comes out. What counts is C-2's 500.
    expect(scheme.byPeriod).toEqual({ '2026-Q1': { target: 0n, outturn: 120_000n }, '2026-Q2': { target: 0n, outturn: -70_000n } });
    expect(scheme).toMatchObject({ definedCost: 150_000n, disallowed: 0n, reversedCost: 100_000n });
    expect(schemeOutturn(scheme)).toBe(50_000n);
  });

  it('keeps a disallowance counting while its line stands', () => {
    const state = ledgerWithScheme();
    fold(state, 'DefinedCostRecorded', { ...q1, costId: 'C-1', amount: '1000.00', description: null });
    fold(state, 'CostDisallowed', { ...q1, costId: 'C-1', disallowanceId: 'D-1', amount: '300.00', reason: 'not defined cost' });
    expect(state.schemes.A).toMatchObject({ definedCost: 100_000n, disallowed: 30_000n, reversedCost: 0n });
    expect(schemeOutturn(state.schemes.A)).toBe(70_000n);
  });

  it('keeps each record of a scheme’s site dates, oldest first, with the period it was recorded in', () => {
    const state = ledgerWithScheme();
    const dates = { plannedStart: '2026-01-05', plannedReopen: '2026-02-03', actualStart: '2026-01-05', actualReopen: '2026-02-12' };
    fold(state, 'SiteDatesRecorded', { ...q1, ...dates });
    fold(state, 'SiteDatesRecorded', { ...q2, ...dates, actualReopen: '2026-02-10' });
    expect(state.schemes.A.site).toEqual([
      { periodId: '2026-Q1', ...dates },
      { periodId: '2026-Q2', ...dates, actualReopen: '2026-02-10' },
    ]);
    expect(state.schemes.A.byPeriod).toEqual({});
  });

  it('ignores a fact for a scheme it never registered', () => {
    const state = ledgerWithScheme();
    fold(state, 'DefinedCostRecorded', { schemeId: 'Z', periodId: '2026-Q1', costId: 'C-1', amount: '1.00', description: null });
    expect(Object.keys(state.schemes)).toEqual(['A']);
    expect(state.eventCount).toBe(4);
  });

  it('counts each kind of safety incident in its own period', () => {
    const state = ledgerWithScheme();
    for (const [index, severity] of ['riddor', 'fatality', 'lost-time', 'lost-time', 'near-miss'].entries()) {
      fold(state, 'SafetyIncidentReported', { periodId: '2026-Q1', incidentId: `I-${index}`, severity, partnerId: 'S1' });
    }
    expect(state.safety['2026-Q1']).toEqual({ hoursInHundredths: 0n, riddor: 1, fatalities: 1, lostTime: 2, nearMiss: 1 });
  });

  it('replaces a KPI redefined under the same id, in its place, and appends a new one', () => {
    const state = initialLedger('sma');
    const kpi = (kpiId: string, weight: string) => ({ kpiId, name: kpiId, unit: '%', source: 'measured', poor: '0', mcos: '50', outstanding: '100', weight, gate: false });
    fold(state, 'KpiDefined', kpi('first', '0.5'));
    fold(state, 'KpiDefined', kpi('second', '0.5'));
    fold(state, 'KpiDefined', kpi('first', '0.25'));
    fold(state, 'KpiDefined', kpi('second', '0.75'));
    expect(state.kpis.map(({ kpiId, weight }) => [kpiId, weight])).toEqual([
      ['first', '0.25'],
      ['second', '0.75'],
    ]);
  });

  it('keeps a close proposal until it is rejected, and drops it when the period is cancelled', () => {
    const state = ledgerWithScheme();
    const proposal = { proposedBy: 'alice', proposedAt: '2026-04-02T09:00:00.000Z', inputs: { digest: 'sha256:x' } };
    fold(state, 'PeriodCloseProposed', { periodId: '2026-Q1', ...proposal });
    expect(findLedgerPeriod(state, '2026-Q1')!.closeProposal).toEqual({ proposedBy: 'alice', proposedAt: '2026-04-02T09:00:00.000Z', digest: 'sha256:x' });
    fold(state, 'PeriodCloseRejected', { periodId: '2026-Q1', rejectedBy: 'bob', reason: 'hours missing' });
    expect(findLedgerPeriod(state, '2026-Q1')!.closeProposal).toBeNull();
    fold(state, 'PeriodCloseProposed', { periodId: '2026-Q2', ...proposal });
    fold(state, 'PeriodCancelled', { periodId: '2026-Q2' });
    expect(findLedgerPeriod(state, '2026-Q2')).toMatchObject({ cancelled: true, closeProposal: null });
    expect(findLedgerPeriod(state, '2026-Q1')!.cancelled).toBeUndefined();
  });

  it('ignores proposals, rejections, closes and cancellations of a period it never opened', () => {
    const state = ledgerWithScheme();
    const before = structuredClone(state.periods);
    fold(state, 'PeriodCloseProposed', { periodId: '2026-Q9', proposedBy: 'alice', proposedAt: '2026-04-02T09:00:00.000Z', inputs: { digest: 'sha256:x' } });
    fold(state, 'PeriodCloseRejected', { periodId: '2026-Q9', rejectedBy: 'bob', reason: 'no' });
    fold(state, 'PeriodCancelled', { periodId: '2026-Q9' });
    fold(state, 'PeriodClosed', { periodId: '2026-Q9', certificate: {} });
    expect(state.periods).toEqual(before);
  });

  it('counts a fact for a cancelled period as late', () => {
    const state = ledgerWithScheme();
    fold(state, 'PeriodCancelled', { periodId: '2026-Q2' });
    fold(state, 'DefinedCostRecorded', { ...q2, costId: 'C-1', amount: '1.00', description: null });
    fold(state, 'DefinedCostRecorded', { ...q1, costId: 'C-2', amount: '1.00', description: null });
    fold(state, 'HoursWorkedRecorded', { periodId: '2026-Q9', hours: '1' });
    expect(state.lateFacts).toBe(1);
  });

  it('keeps the latest sign-off of each partner’s statement, by period', () => {
    const state = ledgerWithScheme();
    delete state.signOffs;
    fold(state, 'StatementDisputed', { periodId: '2026-Q1', partnerId: 'S1', by: 's1@example', at: '2026-04-03T00:00:00.000Z', reason: 'hours' });
    fold(state, 'StatementAcknowledged', { periodId: '2026-Q1', partnerId: 'S1', by: 's1@example', at: '2026-04-04T00:00:00.000Z' });
    fold(state, 'StatementDisputed', { periodId: '2026-Q1', partnerId: 'S2', by: 's2@example', at: '2026-04-04T00:00:00.000Z', reason: 'costs' });
    expect(state.signOffs).toEqual({
      '2026-Q1': {
        S1: { status: 'acknowledged', by: 's1@example', at: '2026-04-04T00:00:00.000Z', reason: null },
        S2: { status: 'disputed', by: 's2@example', at: '2026-04-04T00:00:00.000Z', reason: 'costs' },
      },
    });
  });
});
