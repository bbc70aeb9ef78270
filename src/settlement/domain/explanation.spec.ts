import { workedExampleTerms } from '../../../test/support/alliance-fixtures';
import { explainPeriod } from './explanation';
import { evolveLedger, initialLedger, LedgerEvent, LedgerState } from './ledger';
import { summarizePeriod } from './period-summary';
import { RecordedEvent } from './recorded-event';

/**
 * Which events each figure is explained by, at the edges the whole-alliance scenarios do not reach:
 * a scheme not yet completed, a time-on-site KPI, a certified period and its cut-off, the close of
 * the previous period, and who recorded each fact.
 */
function alliance() {
  const events: RecordedEvent[] = [];
  const state: LedgerState = initialLedger('sma');
  const record = (stream: string, type: string, data: Record<string, unknown>, metadata: Record<string, unknown> = {}): RecordedEvent => {
    const n = BigInt(events.length + 1);
    const event = { id: `e${n}`, streamName: `ledger.sma.${stream}`, revision: n, position: { commit: n, prepare: n }, type, data: { allianceId: 'sma', ...data }, metadata } as RecordedEvent;
    events.push(event);
    return event;
  };
  const fold = (...args: Parameters<typeof record>) => evolveLedger(state, record(...args) as unknown as LedgerEvent);
  return { events, state, record, fold };
}

function figure(explanation: ReturnType<typeof explainPeriod>, name: string) {
  return explanation!.figures.find((entry) => entry.figure === name)!;
}

function seeded() {
  const ledger = alliance();
  const { fold } = ledger;
  fold('alliance', 'AllianceFormed', workedExampleTerms());
  fold('alliance', 'KpiDefined', { kpiId: 'site', name: 'Time on site', unit: '% of planned', source: 'time-on-site', poor: '130', mcos: '100', outstanding: '80', weight: '1', gate: false });
  fold('periods', 'PeriodOpened', { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31', sequence: 1 });
  fold('scheme.A', 'SchemeRegistered', { schemeId: 'A', name: 'A' });
  fold('scheme.B', 'SchemeRegistered', { schemeId: 'B', name: 'B' });
  fold('scheme.A', 'TargetBaselineSet', { schemeId: 'A', periodId: '2026-Q1', amount: '1000.00' }, { recordedAt: '2026-01-10T00:00:00.000Z', actor: 'alice@example', commandId: 'cmd-1' });
  fold('scheme.B', 'TargetBaselineSet', { schemeId: 'B', periodId: '2026-Q1', amount: '500.00' });
  fold('scheme.A', 'SiteDatesRecorded', { schemeId: 'A', periodId: '2026-Q1', plannedStart: '2026-01-05', plannedReopen: '2026-02-03', actualStart: '2026-01-05', actualReopen: '2026-02-12' });
  fold('scheme.A', 'SchemeCompleted', { schemeId: 'A', periodId: '2026-Q1' });
  return ledger;
}

describe('explaining a period’s figures', () => {
  it('takes only the schemes completed by the period, says who recorded each fact, and explains time on site by the site dates', () => {
    const { state, events } = seeded();
    const explanation = explainPeriod(state, events, '2026-Q1');
    expect(figure(explanation, 'cost.target').events).toEqual([
      { position: '6/6', streamName: 'ledger.sma.scheme.A', revision: '6', eventId: 'e6', type: 'TargetBaselineSet', recordedAt: '2026-01-10T00:00:00.000Z', actor: 'alice@example', commandId: 'cmd-1', effect: { schemeId: 'A', target: '1000.00' } },
    ]);
    expect(figure(explanation, 'cost.pool').value).toBe(1);
    const site = figure(explanation, 'performance.kpis.site');
    expect(site.rule).toMatch(/^Time on site = /);
    expect(site.events.map((event) => [event.eventId, event.recordedAt, event.actor, event.commandId, event.effect])).toEqual([['e8', null, null, null, {}]]);
  });

  it('explains a certified period by its inputs up to the certificate, or up to the last input given', () => {
    const { state, events, fold } = seeded();
    const summary = summarizePeriod(state, '2026-Q1')!;
    state.periods[0].certificate = { summary, inputs: { upToPosition: '9/9' } } as never;
    fold('scheme.A', 'CompensationEventImplemented', { schemeId: 'A', periodId: '2026-Q1', ceId: 'CE-1', amount: '5.00' });
    const ids = (lastInput?: { commit: bigint; prepare: bigint }) => figure(explainPeriod(state, events, '2026-Q1', lastInput), 'cost.target').events.map((event) => event.eventId);
    expect(ids()).toEqual(['e6']);
    expect(ids({ commit: 5n, prepare: 5n })).toEqual([]);
    expect(ids({ commit: 10n, prepare: 10n })).toEqual(['e6', 'e10']);
  });

  it('explains C(p−1) by the close of the period just before, when it was certified', () => {
    const { state, events, fold, record } = seeded();
    const summary = summarizePeriod(state, '2026-Q1')!;
    record('periods', 'PeriodClosed', { periodId: '2026-Q0' });
    const close = record('periods', 'PeriodClosed', { periodId: '2026-Q1' });
    state.periods[0].certificate = { summary, inputs: { upToPosition: '9/9' } } as never;
    fold('periods', 'PeriodOpened', { periodId: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30', sequence: 2 });
    const previous = figure(explainPeriod(state, events, '2026-Q2'), 'cost.previousPartnersShare');
    expect(previous.rule).toBe('C(p−1) as certified when the previous period closed');
    expect(previous.events.map((event) => event.eventId)).toEqual([close.id]);
  });

  it('explains nothing for a period never opened, or before the alliance was formed', () => {
    const { state, events, fold } = alliance();
    fold('periods', 'PeriodOpened', { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31', sequence: 1 });
    expect(explainPeriod(state, events, '2026-Q1')).toBeUndefined();
    expect(explainPeriod(seeded().state, seeded().events, '2026-Q9')).toBeUndefined();
  });
});
