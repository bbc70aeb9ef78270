import { periodClosed, periodOpened } from '../../../test/support/alliance-fixtures';
import { deciderSpec } from '../../../test/support/decider-spec';
import { PeriodCancelled } from './periods.events';
import { lookupPeriod, periodsDecider, PeriodsCommand, requireOpenPeriod } from './periods.decider';

const spec = deciderSpec(periodsDecider);
const TODAY = '2026-11-22';
const open = (periodId: string, startDate: string, endDate: string, options: { allianceFormed?: boolean; allowGap?: boolean; today?: string } = {}): PeriodsCommand => ({
  type: 'OpenPeriod',
  allianceId: 'sma',
  periodId,
  startDate,
  endDate,
  allianceFormed: options.allianceFormed ?? true,
  today: options.today ?? TODAY,
  allowGap: options.allowGap ?? false,
});
const cancel = (periodId: string, factsRecorded = 0): PeriodsCommand => ({ type: 'CancelPeriod', allianceId: 'sma', periodId, reason: 'opened by mistake', factsRecorded });
const cancelled = (periodId: string): PeriodCancelled => ({ type: 'PeriodCancelled', data: { allianceId: 'sma', periodId, reason: 'opened by mistake' } });

const q1 = periodOpened('2026-Q1', 1, '2026-01-01', '2026-03-31');
const q2 = periodOpened('2026-Q2', 2, '2026-04-01', '2026-06-30');

describe('periods decider', () => {
  describe('OpenPeriod', () => {
    it('opens the first period', () => {
      spec.given([]).when(open('2026-Q1', '2026-01-01', '2026-03-31')).then([q1]);
    });

    it('opens periods in order, numbering them', () => {
      spec.given([q1]).when(open('2026-Q2', '2026-04-01', '2026-06-30')).then([q2]);
    });

    it('refuses a period for an alliance that has not been formed', () => {
      spec.given([]).when(open('2026-Q1', '2026-01-01', '2026-03-31', { allianceFormed: false })).thenRefused('alliance_not_found', 'allianceId');
    });

    it('accepts opening the same period again, and refuses the same id with other dates', () => {
      spec.given([q1]).when(open('2026-Q1', '2026-01-01', '2026-03-31')).thenNothing();
      spec.given([q1]).when(open('2026-Q1', '2026-01-01', '2026-03-30')).thenRefused('period_conflict', 'periodId');
    });

    it('refuses a period that ends before it starts, or starts before the last one ended', () => {
      spec.given([]).when(open('2026-Q1', '2026-03-31', '2026-01-01')).thenRefused('invalid_command', 'endDate');
      spec.given([q1]).when(open('2026-Q2', '2026-03-15', '2026-06-30')).thenRefused('period_out_of_order', 'startDate', /after the end of period 2026-Q1/);
    });

    it('refuses a period that would brick the alliance: 9999-12-31', () => {
      spec.given([q1]).when(open('2026-Q2', '9999-12-31', '9999-12-31', { allowGap: true })).thenRefused('period_start_out_of_range', 'startDate', /2016-11-22 to 2027-11-22/);
      spec.given([]).when(open('2026-Q1', '2026-01-01', '9999-12-31')).thenRefused('period_too_long', 'endDate', /2026-12-31 at the latest/);
    });

    it('accepts starts from ten years before today to one year after, judged by the today the command carries', () => {
      spec.given([]).when(open('P', '2016-11-22', '2016-12-31')).then([periodOpened('P', 1, '2016-11-22', '2016-12-31')]);
      spec.given([]).when(open('P', '2016-11-21', '2016-12-31')).thenRefused('period_start_out_of_range', 'startDate');
      spec.given([]).when(open('P', '2027-11-22', '2027-12-31')).then([periodOpened('P', 1, '2027-11-22', '2027-12-31')]);
      spec.given([]).when(open('P', '2027-11-23', '2027-12-31')).thenRefused('period_start_out_of_range', 'startDate');
      spec.given([]).when(open('P', '2030-01-01', '2030-03-31', { today: '2029-12-01' })).then([periodOpened('P', 1, '2030-01-01', '2030-03-31')]);
    });

    it('accepts a period of up to a year', () => {
      spec.given([]).when(open('2026', '2026-01-01', '2026-12-31')).then([periodOpened('2026', 1, '2026-01-01', '2026-12-31')]);
      spec.given([]).when(open('2026', '2026-01-01', '2027-01-01')).thenRefused('period_too_long', 'endDate');
    });

    it('refuses a gap after the previous period, naming the expected start, unless asked for', () => {
      spec.given([q1]).when(open('2026-Q3', '2026-07-01', '2026-09-30')).thenRefused('period_gap', 'startDate', /must be 2026-04-01, the day after period 2026-Q1 ends.*allowGap/);
      spec.given([q1]).when(open('2026-Q3', '2026-07-01', '2026-09-30', { allowGap: true })).then([periodOpened('2026-Q3', 2, '2026-07-01', '2026-09-30')]);
    });

    it('does not reopen a cancelled period id', () => {
      spec.given([q1, q2, cancelled('2026-Q2')]).when(open('2026-Q2', '2026-04-01', '2026-06-30')).thenRefused('period_cancelled', 'periodId', /not used again/);
    });

    it('follows the last period not cancelled, numbering after every period opened', () => {
      const wrong = periodOpened('2026-Q2', 2, '2026-04-10', '2026-06-30');
      spec.given([q1, wrong, cancelled('2026-Q2')]).when(open('2026-Q2b', '2026-04-01', '2026-06-30')).then([periodOpened('2026-Q2b', 3, '2026-04-01', '2026-06-30')]);
    });
  });

  describe('CancelPeriod', () => {
    it('cancels the latest open period while no fact names it', () => {
      spec.given([q1, q2]).when(cancel('2026-Q2')).then([cancelled('2026-Q2')]);
      spec.given([q1]).when(cancel('2026-Q1')).then([cancelled('2026-Q1')]);
    });

    it('refuses while facts name the period, saying how many', () => {
      spec.given([q1, q2]).when(cancel('2026-Q2', 3)).thenRefused('period_has_facts', 'periodId', /3 facts name period 2026-Q2/);
    });

    it('refuses any but the latest period, a closed one, and an unknown one', () => {
      spec.given([q1, q2]).when(cancel('2026-Q1')).thenRefused('period_not_latest', 'periodId', /only the latest period \(2026-Q2\)/);
      spec.given([q1, periodClosed('2026-Q1')]).when(cancel('2026-Q1')).thenRefused('period_closed', 'periodId');
      spec.given([q1]).when(cancel('2026-Q9')).thenRefused('period_not_found', 'periodId');
    });

    it('accepts cancelling a cancelled period again, and lets the one before be cancelled next', () => {
      spec.given([q1, q2, cancelled('2026-Q2')]).when(cancel('2026-Q2')).thenNothing();
      spec.given([q1, q2, cancelled('2026-Q2')]).when(cancel('2026-Q1')).then([cancelled('2026-Q1')]);
    });
  });

  describe('period lookups for facts', () => {
    it('refuses facts for unopened, closed and cancelled periods', () => {
      const state = [q1, q2, periodClosed('2026-Q1'), periodOpened('2026-Q3', 3, '2026-07-01', '2026-09-30'), cancelled('2026-Q3')].reduce(
        periodsDecider.evolve,
        periodsDecider.initialState(),
      );
      expect(() => requireOpenPeriod(lookupPeriod(state, '2026-Q2'))).not.toThrow();
      expect(() => requireOpenPeriod(lookupPeriod(state, '2026-Q1'))).toThrow(expect.objectContaining({ code: 'period_closed' }));
      expect(() => requireOpenPeriod(lookupPeriod(state, '2026-Q3'))).toThrow(expect.objectContaining({ code: 'period_cancelled' }));
      expect(() => requireOpenPeriod(lookupPeriod(state, '2027-Q1'))).toThrow(expect.objectContaining({ code: 'period_not_found' }));
    });
  });
});
