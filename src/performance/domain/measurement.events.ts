import { DomainEvent } from '../../shared/decider';

/** A later measurement of the same KPI in the same period replaces the earlier one. */
export type KpiMeasurementRecorded = DomainEvent<
  'KpiMeasurementRecorded',
  { allianceId: string; periodId: string; kpiId: string; value: string; previousValue: string | null }
>;

export type MeasurementEvent = KpiMeasurementRecorded;

export const MEASUREMENT_EVENT_TYPES = ['KpiMeasurementRecorded'] as const;
