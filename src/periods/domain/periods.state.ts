import { CloseApprovals } from '../../alliance/domain/alliance.events';
import { conflict, notFound } from '../../shared/domain-error';
import { CertificateFigures, CertificateSealer } from '../../settlement/domain/summary.types';
import { PeriodCloseProposed } from './periods.events';

export type PeriodStatus = 'open' | 'closed' | 'cancelled';

/** A proposal waiting for a second person: what it would certify, and who proposed it. */
export type CloseProposal = Omit<PeriodCloseProposed['data'], 'allianceId' | 'periodId'>;

export interface PeriodEntry {
  periodId: string;
  startDate: string;
  endDate: string;
  sequence: number;
  status: PeriodStatus;
  proposal: CloseProposal | null;
}

export interface PeriodsState {
  periods: readonly PeriodEntry[];
}

export type PeriodsCommand =
  | {
      type: 'OpenPeriod';
      allianceId: string;
      periodId: string;
      startDate: string;
      endDate: string;
      allianceFormed: boolean;
      /** The calendar date by the ledger's clock: periods start within a horizon of it. */
      today: string;
      /** Open the period although it does not start the day after the previous one ends. */
      allowGap: boolean;
    }
  | { type: 'CancelPeriod'; allianceId: string; periodId: string; reason: string; factsRecorded: number }
  | {
      type: 'ClosePeriod';
      allianceId: string;
      periodId: string;
      figures: CertificateFigures;
      closeApprovals: CloseApprovals;
      actor: string;
      /** Signs the certificate; without it the certificate is recorded unsigned. */
      seal?: CertificateSealer;
    }
  | { type: 'ProposePeriodClose'; allianceId: string; periodId: string; figures: CertificateFigures; actor: string }
  | { type: 'ApprovePeriodClose'; allianceId: string; periodId: string; figures: CertificateFigures; actor: string; seal?: CertificateSealer }
  | { type: 'RejectPeriodClose'; allianceId: string; periodId: string; reason: string };

export type CommandOf<Type extends PeriodsCommand['type']> = Extract<PeriodsCommand, { type: Type }>;

export function findPeriod(state: PeriodsState, periodId: string): PeriodEntry | undefined {
  return state.periods.find((period) => period.periodId === periodId);
}

/** The period opened last and not cancelled: the next one follows it. */
export function latestPeriod(state: PeriodsState): PeriodEntry | undefined {
  return state.periods.filter((period) => period.status !== 'cancelled').at(-1);
}

export function requirePeriod(state: PeriodsState, periodId: string): PeriodEntry {
  const period = findPeriod(state, periodId);
  if (!period) throw notFound('period_not_found', 'periodId', `period ${periodId} has not been opened`);
  return period;
}

/** How a fact's period stands, looked up by the handler and passed to the deciders. */
export interface PeriodLookup {
  periodId: string;
  status: PeriodStatus | 'unknown';
}

export function lookupPeriod(state: PeriodsState, periodId: string): PeriodLookup {
  return { periodId, status: findPeriod(state, periodId)?.status ?? 'unknown' };
}

/** Every fact names an open period; a closed or cancelled period takes no more facts. */
export function requireOpenPeriod(period: PeriodLookup): void {
  if (period.status === 'unknown') throw notFound('period_not_found', 'periodId', `period ${period.periodId} has not been opened`);
  if (period.status === 'closed') throw conflict('period_closed', 'periodId', `period ${period.periodId} is closed and takes no more facts`);
  if (period.status === 'cancelled') throw conflict('period_cancelled', 'periodId', `period ${period.periodId} was cancelled and takes no facts`);
}
