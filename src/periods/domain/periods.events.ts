import { DomainEvent } from '../../shared/decider';
import { PeriodCertificate, PeriodSummary } from '../../settlement/domain/summary.types';

export type PeriodOpened = DomainEvent<
  'PeriodOpened',
  { allianceId: string; periodId: string; startDate: string; endDate: string; sequence: number }
>;
export type PeriodClosed = DomainEvent<'PeriodClosed', { allianceId: string; periodId: string; certificate: StoredPeriodCertificate }>;
/** A period opened by mistake, withdrawn before any fact named it. Its id is not used again. */
export type PeriodCancelled = DomainEvent<'PeriodCancelled', { allianceId: string; periodId: string; reason: string }>;
/** The figures a proposer would certify, and the digest of their input events; awaiting a second person. */
export type PeriodCloseProposed = DomainEvent<
  'PeriodCloseProposed',
  { allianceId: string; periodId: string; proposedBy: string; proposedAt: string; summary: PeriodSummary; inputs: PeriodCertificate['inputs'] }
>;
export type PeriodCloseRejected = DomainEvent<'PeriodCloseRejected', { allianceId: string; periodId: string; reason: string }>;
export type PeriodEvent = PeriodOpened | PeriodClosed | PeriodCancelled | PeriodCloseProposed | PeriodCloseRejected;

export const PERIOD_EVENT_TYPES = ['PeriodOpened', 'PeriodClosed', 'PeriodCancelled', 'PeriodCloseProposed', 'PeriodCloseRejected'] as const;

/** A certificate as stored: those recorded before four-eyes closing name nobody. */
export type StoredPeriodCertificate = Omit<PeriodCertificate, 'proposedBy' | 'approvedBy' | 'ledger' | 'signature'> & Partial<Pick<PeriodCertificate, 'proposedBy' | 'approvedBy' | 'ledger' | 'signature'>>;

/**
 * Reads a stored certificate with the meaning it had when written: closed before names were
 * recorded, it names nobody; before the ledger digest and signatures, it has neither.
 */
export function upcastCertificate(certificate: StoredPeriodCertificate): PeriodCertificate {
  return {
    ...certificate,
    proposedBy: certificate.proposedBy ?? null,
    approvedBy: certificate.approvedBy ?? null,
    ledger: certificate.ledger ?? null,
    signature: certificate.signature ?? null,
  };
}
