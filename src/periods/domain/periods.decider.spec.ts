import { PeriodSummary } from '../../settlement/domain/summary.types';
import { periodClosed, periodOpened } from '../../../test/support/alliance-fixtures';
import { deciderSpec } from '../../../test/support/decider-spec';
import { lookupPeriod, periodsDecider, PeriodsCommand, requireOpenPeriod } from './periods.decider';

const spec = deciderSpec(periodsDecider);
const open = (periodId: string, startDate: string, endDate: string, allianceFormed = true): PeriodsCommand => ({
  type: 'OpenPeriod',
  allianceId: 'sma',
  periodId,
  startDate,
  endDate,
  allianceFormed,
});

function closing(periodId: string, performance: Partial<PeriodSummary['performance']> = {}): PeriodsCommand {
  const summary = { performance: { missingKpis: [], weightsTotal: '1', ...performance } } as unknown as PeriodSummary;
  return {
    type: 'ClosePeriod',
    allianceId: 'sma',
    periodId,
    certificate: { certifiedAt: '2026-04-02T09:00:00.000Z', summary, inputs: { digest: 'sha256:abc', eventCount: 3, upToPosition: '9/9' } },
  };
}

const q1 = periodOpened('2026-Q1', 1, '2026-01-01', '2026-03-31');

describe('periods decider', () => {
  describe('OpenPeriod', () => {
    it('opens the first period', () => {
      spec.given([]).when(open('2026-Q1', '2026-01-01', '2026-03-31')).then([q1]);
    });

    it('opens periods in order, numbering them', () => {
      spec.given([q1]).when(open('2026-Q2', '2026-04-01', '2026-06-30')).then([periodOpened('2026-Q2', 2, '2026-04-01', '2026-06-30')]);
    });

    it('refuses a period for an alliance that has not been formed', () => {
      spec.given([]).when(open('2026-Q1', '2026-01-01', '2026-03-31', false)).thenRefused('alliance_not_found', 'allianceId');
    });

    it('accepts opening the same period again, and refuses the same id with other dates', () => {
      spec.given([q1]).when(open('2026-Q1', '2026-01-01', '2026-03-31')).thenNothing();
      spec.given([q1]).when(open('2026-Q1', '2026-01-01', '2026-03-30')).thenRefused('period_conflict', 'periodId');
    });

    it('refuses a period that ends before it starts, or starts before the last one ended', () => {
      spec.given([]).when(open('2026-Q1', '2026-03-31', '2026-01-01')).thenRefused('invalid_command', 'endDate');
      spec.given([q1]).when(open('2026-Q2', '2026-03-15', '2026-06-30')).thenRefused('period_out_of_order', 'startDate', /after the end of period 2026-Q1/);
    });
  });

  describe('ClosePeriod', () => {
    it('closes an open period with its certificate', () => {
      const command = closing('2026-Q1');
      if (command.type !== 'ClosePeriod') throw new Error('unreachable');
      spec.given([q1]).when(command).then([{ type: 'PeriodClosed', data: { allianceId: 'sma', periodId: '2026-Q1', certificate: command.certificate } }]);
    });

    it('refuses an unknown period and accepts closing a closed one again', () => {
      spec.given([]).when(closing('2026-Q1')).thenRefused('period_not_found', 'periodId');
      spec.given([q1, periodClosed('2026-Q1')]).when(closing('2026-Q1')).thenNothing();
    });

    it('closes periods in order', () => {
      spec.given([q1, periodOpened('2026-Q2', 2, '2026-04-01', '2026-06-30')]).when(closing('2026-Q2')).thenRefused('period_close_out_of_order', 'periodId', /2026-Q1 must be closed first/);
    });

    it('refuses while a KPI has no value, naming it', () => {
      spec.given([q1]).when(closing('2026-Q1', { missingKpis: ['carbon', 'skills'] })).thenRefused('kpi_values_missing', 'kpis.carbon', /no value/, /carbon, skills/);
    });

    it('refuses while the KPI weights do not sum to 1', () => {
      spec.given([q1]).when(closing('2026-Q1', { weightsTotal: '0.8' })).thenRefused('kpi_weights_incomplete', 'kpis', /sum to 0\.8/);
    });
  });

  describe('period lookups for facts', () => {
    it('refuses facts for unopened and closed periods', () => {
      const state = [q1, periodOpened('2026-Q2', 2, '2026-04-01', '2026-06-30'), periodClosed('2026-Q1')].reduce(periodsDecider.evolve, periodsDecider.initialState());
      expect(() => requireOpenPeriod(lookupPeriod(state, '2026-Q2'))).not.toThrow();
      expect(() => requireOpenPeriod(lookupPeriod(state, '2026-Q1'))).toThrow(expect.objectContaining({ code: 'period_closed' }));
      expect(() => requireOpenPeriod(lookupPeriod(state, '2027-Q1'))).toThrow(expect.objectContaining({ code: 'period_not_found' }));
    });
  });
});
