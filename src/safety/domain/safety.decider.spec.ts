import { PeriodLookup } from '../../periods/domain/periods.decider';
import { deciderSpec } from '../../../test/support/decider-spec';
import { SafetyCommand, safetyDecider } from './safety.decider';
import { SafetyEvent } from './safety.events';

const spec = deciderSpec(safetyDecider);
const open: PeriodLookup = { periodId: '2026-Q1', status: 'open' };
const q1 = { startDate: '2026-01-01', endDate: '2026-03-31' };
const closed: PeriodLookup = { periodId: '2025-Q4', status: 'closed' };

const incident = (overrides: Partial<Extract<SafetyCommand, { type: 'ReportSafetyIncident' }>> = {}): SafetyCommand => ({
  type: 'ReportSafetyIncident',
  allianceId: 'sma',
  period: open,
  periodDates: q1,
  partnerId: 'S1',
  partnerKnown: true,
  incidentId: 'INC-1',
  severity: 'riddor',
  occurredOn: '2026-02-14',
  description: null,
  ...overrides,
});
const hours = (amount: string, reason: string | null = null, period = open): SafetyCommand => ({
  type: 'RecordHoursWorked',
  allianceId: 'sma',
  period,
  periodDates: q1,
  partnerId: null,
  partnerKnown: true,
  hours: amount,
  reason,
});
const reported: SafetyEvent = {
  type: 'SafetyIncidentReported',
  data: { allianceId: 'sma', periodId: '2026-Q1', incidentId: 'INC-1', severity: 'riddor', partnerId: 'S1', occurredOn: '2026-02-14', description: null },
};
const worked = (amount: string, reason: string | null = null): SafetyEvent => ({
  type: 'HoursWorkedRecorded',
  data: { allianceId: 'sma', periodId: '2026-Q1', hours: amount, partnerId: null, reason },
});

describe('safety decider', () => {
  describe('ReportSafetyIncident', () => {
    it('reports an incident', () => spec.given([]).when(incident()).then([reported]));
    it('accepts the same incident again', () => spec.given([reported]).when(incident()).thenNothing());
    it('refuses a reused incidentId with different content', () =>
      spec.given([reported]).when(incident({ severity: 'fatality' })).thenRefused('incident_conflict', 'incidentId'));
    it('refuses an unknown partner', () => spec.given([]).when(incident({ partnerId: 'X9', partnerKnown: false })).thenRefused('partner_not_found', 'partnerId', /X9 is not a partner/));
    it('refuses a closed period', () => spec.given([]).when(incident({ period: closed })).thenRefused('period_closed', 'periodId'));
    it('accepts an incident on the first and the last day of its period', () => {
      spec.given([]).when(incident({ occurredOn: '2026-01-01' })).then([{ ...reported, data: { ...reported.data, occurredOn: '2026-01-01' } } as SafetyEvent]);
      spec.given([]).when(incident({ occurredOn: '2026-03-31' })).then([{ ...reported, data: { ...reported.data, occurredOn: '2026-03-31' } } as SafetyEvent]);
    });
    it('refuses an incident dated outside its period, naming the dates', () => {
      spec.given([]).when(incident({ occurredOn: '2025-12-31' })).thenRefused('invalid_command', 'occurredOn', /within period 2026-Q1 \(2026-01-01 to 2026-03-31\)/);
      spec.given([]).when(incident({ occurredOn: '2026-04-01' })).thenRefused('invalid_command', 'occurredOn');
    });
    it('takes an incident without a date', () =>
      spec.given([]).when(incident({ occurredOn: null })).then([{ ...reported, data: { ...reported.data, occurredOn: null } } as SafetyEvent]));
  });

  describe('RecordHoursWorked', () => {
    it('adds hours to the period', () => spec.given([]).when(hours('2500000')).then([worked('2500000')]));
    it('takes a negative correction with a reason', () => spec.given([worked('1000')]).when(hours('-200', 'Double-counted')).then([worked('-200', 'Double-counted')]));
    it('refuses a negative entry without a reason', () => spec.given([worked('1000')]).when(hours('-200')).thenRefused('invalid_command', 'reason'));
    it('refuses a correction that takes the period below zero hours', () =>
      spec.given([worked('100')]).when(hours('-100.5', 'Oops')).thenRefused('hours_below_zero', 'hours', /-0\.5/));
    it('refuses hours that would take the period past its bound, naming it', () => {
      spec.given([worked('99999999')]).when(hours('1')).then([worked('1')]);
      spec.given([worked('99999999')]).when(hours('1.01')).thenRefused('hours_exceed_bound', 'hours', /at most 100000000/);
    });
    it('refuses an unopened period', () => spec.given([]).when(hours('1', null, { periodId: 'x', status: 'unknown' })).thenRefused('period_not_found', 'periodId'));
  });
});
