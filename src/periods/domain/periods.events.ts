import { DomainEvent } from '../../shared/decider';
import { PeriodCertificate } from '../../settlement/domain/summary.types';

export type PeriodOpened = DomainEvent<
  'PeriodOpened',
  { allianceId: string; periodId: string; startDate: string; endDate: string; sequence: number }
>;
export type PeriodClosed = DomainEvent<'PeriodClosed', { allianceId: string; periodId: string; certificate: PeriodCertificate }>;
export type PeriodEvent = PeriodOpened | PeriodClosed;

export const PERIOD_EVENT_TYPES = ['PeriodOpened', 'PeriodClosed'] as const;
