import { DomainEvent } from '../../shared/decider';

interface SignOffFact {
  allianceId: string;
  periodId: string;
  partnerId: string;
  /** Who signed: the actor that ran the command. */
  by: string;
  /** When, by the ledger's clock (the event's `recordedAt`). */
  at: string;
}

export type StatementAcknowledged = DomainEvent<'StatementAcknowledged', SignOffFact>;
export type StatementDisputed = DomainEvent<'StatementDisputed', SignOffFact & { reason: string }>;
export type StatementEvent = StatementAcknowledged | StatementDisputed;

export const STATEMENT_EVENT_TYPES = ['StatementAcknowledged', 'StatementDisputed'] as const;

/** A partner's sign-off of one period's statement, as the statement shows it: the latest one stands. */
export interface SignOff {
  status: 'acknowledged' | 'disputed';
  by: string;
  at: string;
  /** null for an acknowledgement. */
  reason: string | null;
}

export function signOffOf(event: StatementEvent): SignOff {
  const { by, at } = event.data;
  return event.type === 'StatementAcknowledged' ? { status: 'acknowledged', by, at, reason: null } : { status: 'disputed', by, at, reason: event.data.reason };
}
