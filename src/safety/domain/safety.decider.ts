import { sameJson } from '../../shared/canonical-json';
import { assertNever, Decider } from '../../shared/decider';
import { conflict, invalid, notFound } from '../../shared/domain-error';
import { exactDecimalText, QUANTITY_BOUNDS } from '../../shared/decimal-text';
import { Fraction } from '../../shared/fraction';
import { PeriodLookup, requireOpenPeriod } from '../../periods/domain/periods.decider';
import { IncidentSeverity, SafetyEvent, SafetyIncidentReported } from './safety.events';

export interface SafetyState {
  incidents: Map<string, SafetyIncidentReported['data']>;
  hoursByPeriod: Map<string, Fraction>;
}

interface SafetyFactCommand {
  allianceId: string;
  period: PeriodLookup;
  /** The period's dates, when it has been opened. */
  periodDates: { startDate: string; endDate: string } | null;
  partnerId: string | null;
  /** Whether `partnerId` names one of the alliance's partners (true when it is null). */
  partnerKnown: boolean;
}

export type SafetyCommand =
  | (SafetyFactCommand & {
      type: 'ReportSafetyIncident';
      incidentId: string;
      severity: IncidentSeverity;
      occurredOn: string | null;
      description: string | null;
    })
  | (SafetyFactCommand & { type: 'RecordHoursWorked'; hours: string; reason: string | null });

/** Incidents and hours worked, from which the accident frequency rate (AFR) is derived. Maps are updated in place. */
export const safetyDecider: Decider<SafetyCommand, SafetyEvent, SafetyState> = {
  initialState: () => ({ incidents: new Map(), hoursByPeriod: new Map() }),

  evolve(state, event) {
    switch (event.type) {
      case 'SafetyIncidentReported':
        state.incidents.set(event.data.incidentId, event.data);
        return state;
      case 'HoursWorkedRecorded': {
        const { periodId, hours } = event.data;
        state.hoursByPeriod.set(periodId, (state.hoursByPeriod.get(periodId) ?? Fraction.ZERO).add(Fraction.fromDecimal(hours)));
        return state;
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    if (!command.partnerKnown) throw notFound('partner_not_found', 'partnerId', `${command.partnerId} is not a partner of alliance ${command.allianceId}`);
    switch (command.type) {
      case 'ReportSafetyIncident': {
        const data: SafetyIncidentReported['data'] = {
          allianceId: command.allianceId,
          periodId: command.period.periodId,
          incidentId: command.incidentId,
          severity: command.severity,
          partnerId: command.partnerId,
          occurredOn: command.occurredOn,
          description: command.description,
        };
        const existing = state.incidents.get(command.incidentId);
        if (existing) {
          if (sameJson(existing, data)) return [];
          throw conflict('incident_conflict', 'incidentId', `incident ${command.incidentId} was already reported with different content`);
        }
        requireOpenPeriod(command.period);
        const dates = command.periodDates;
        if (command.occurredOn !== null && dates && (command.occurredOn < dates.startDate || command.occurredOn > dates.endDate)) {
          throw invalid('occurredOn', `must lie within period ${command.period.periodId} (${dates.startDate} to ${dates.endDate})`);
        }
        return [{ type: 'SafetyIncidentReported', data }];
      }
      case 'RecordHoursWorked': {
        requireOpenPeriod(command.period);
        const hours = Fraction.fromDecimal(command.hours);
        if (hours.sign() < 0 && !command.reason) throw invalid('reason', 'is required when hours are negative (a correction)');
        const total = (state.hoursByPeriod.get(command.period.periodId) ?? Fraction.ZERO).add(hours);
        if (total.sign() < 0) {
          throw conflict(
            'hours_below_zero',
            'hours',
            `would bring the hours worked in period ${command.period.periodId} to ${exactDecimalText(total)}; they cannot go below 0`,
          );
        }
        if (total.gt(Fraction.fromDecimal(QUANTITY_BOUNDS.hours))) {
          throw conflict(
            'hours_exceed_bound',
            'hours',
            `would bring the hours worked in period ${command.period.periodId} to ${exactDecimalText(total)}; a period's hours are at most ${QUANTITY_BOUNDS.hours}`,
          );
        }
        return [
          {
            type: 'HoursWorkedRecorded',
            data: { allianceId: command.allianceId, periodId: command.period.periodId, hours: command.hours, partnerId: command.partnerId, reason: command.reason },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};
