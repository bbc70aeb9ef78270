import { DomainEvent } from '../../shared/decider';
import { abs } from '../../shared/fraction';
import { parsePence, Pence } from '../../shared/money';

/**
 * What an alliance has recorded across all its schemes, gross: every baseline plus the size of
 * every compensation event, and every cost line, whether reversed later or not. Gross totals never
 * fall, so bounding them bounds every partial sum the read side shows (a period's pool counts only
 * the facts recorded up to it, and a reversal may sit in another period than what it reverses).
 */
export interface AllianceTotals {
  target: Pence;
  cost: Pence;
}

export const NO_TOTALS: AllianceTotals = { target: 0n, cost: 0n };

/** The scheme events that move an alliance's totals. */
export const ALLIANCE_TOTALS_EVENT_TYPES = ['TargetBaselineSet', 'CompensationEventImplemented', 'DefinedCostRecorded'] as const;

/** The totals after one more event; any event that is not one of the above leaves them as they are. */
export function addToAllianceTotals(totals: AllianceTotals, event: Pick<DomainEvent, 'type' | 'data'>): AllianceTotals {
  const amount = (event.data as { amount?: unknown }).amount;
  if (typeof amount !== 'string') return totals;
  switch (event.type) {
    case 'TargetBaselineSet':
    case 'CompensationEventImplemented':
      return { ...totals, target: totals.target + abs(parsePence(amount)) };
    case 'DefinedCostRecorded':
      return { ...totals, cost: totals.cost + parsePence(amount) };
    default:
      return totals;
  }
}
