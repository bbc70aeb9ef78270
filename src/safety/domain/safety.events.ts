import { DomainEvent } from '../../shared/decider';

export const INCIDENT_SEVERITIES = ['riddor', 'lost-time', 'near-miss', 'fatality'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export type SafetyIncidentReported = DomainEvent<
  'SafetyIncidentReported',
  {
    allianceId: string;
    periodId: string;
    incidentId: string;
    severity: IncidentSeverity;
    partnerId: string | null;
    occurredOn: string | null;
    description: string | null;
  }
>;

/** Hours add up within a period; a negative entry (with a reason) corrects an earlier one. */
export type HoursWorkedRecorded = DomainEvent<
  'HoursWorkedRecorded',
  { allianceId: string; periodId: string; hours: string; partnerId: string | null; reason: string | null }
>;

export type SafetyEvent = SafetyIncidentReported | HoursWorkedRecorded;

export const SAFETY_EVENT_TYPES = ['SafetyIncidentReported', 'HoursWorkedRecorded'] as const;
