import { assertNever, Decider } from '../../shared/decider';
import { conflict, notFound } from '../../shared/domain-error';
import { abs } from '../../shared/fraction';
import { formatPence, MONEY_BOUNDS, parsePence, Pence } from '../../shared/money';
import { PeriodLookup, requireOpenPeriod } from '../../periods/domain/periods.decider';
import { AllianceTotals } from './alliance-totals';
import { SchemeEvent } from './scheme.events';
import { mergeSiteDates, NO_SITE_DATES, requireSiteDatesInOrder, sameSiteDates, SiteDates } from './site-dates';

interface Reversal {
  periodId: string;
  reason: string;
}

interface CompensationEntry {
  amount: Pence;
  periodId: string;
  reason: string | null;
  reversal: Reversal | null;
}

interface CostLine {
  amount: Pence;
  periodId: string;
  description: string | null;
  disallowed: Pence;
  reversal: Reversal | null;
}

export interface SchemeState {
  registered: boolean;
  name: string;
  baseline: { amount: Pence; periodId: string } | null;
  /** Baseline plus compensation events not reversed. */
  target: Pence;
  /** Every cost line recorded, gross (reversed or not). */
  definedCost: Pence;
  completedIn: string | null;
  site: SiteDates;
  compensationEvents: Map<string, CompensationEntry>;
  costLines: Map<string, CostLine>;
}

interface SchemeFactCommand {
  allianceId: string;
  schemeId: string;
  period: PeriodLookup;
  /** The alliance's recorded target and cost across every scheme, as they stood when the command was read. */
  allianceTotals: AllianceTotals;
}

export type SchemeCommand =
  | { type: 'RegisterScheme'; allianceId: string; schemeId: string; name: string; allianceFormed: boolean }
  | (SchemeFactCommand & { type: 'SetTargetBaseline'; amount: Pence })
  | (SchemeFactCommand & { type: 'ImplementCompensationEvent'; ceId: string; amount: Pence; reason: string | null })
  | (SchemeFactCommand & { type: 'ReverseCompensationEvent'; ceId: string; reason: string })
  | (SchemeFactCommand & { type: 'RecordDefinedCost'; costId: string; amount: Pence; description: string | null })
  | (SchemeFactCommand & { type: 'DisallowCost'; costId: string; amount: Pence; reason: string })
  | (SchemeFactCommand & { type: 'ReverseDefinedCost'; costId: string; reason: string })
  | (SchemeFactCommand & { type: 'CompleteScheme' })
  | (SchemeFactCommand & { type: 'RecordSiteDates'; dates: Partial<SiteDates> });

/**
 * A scheme's cost facts. Natural ids (`ceId`, `costId`) make retries harmless: the same entry again
 * is accepted without a second event, a different entry under a used id is refused.
 * `evolve` updates the state's maps in place (a scheme can hold tens of thousands of cost lines);
 * callers never keep a state they have evolved.
 */
export const schemeDecider: Decider<SchemeCommand, SchemeEvent, SchemeState> = {
  initialState: () => ({
    registered: false,
    name: '',
    baseline: null,
    target: 0n,
    definedCost: 0n,
    completedIn: null,
    site: NO_SITE_DATES,
    compensationEvents: new Map(),
    costLines: new Map(),
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'SchemeRegistered':
        return { ...state, registered: true, name: event.data.name };
      case 'TargetBaselineSet': {
        const amount = parsePence(event.data.amount);
        return { ...state, baseline: { amount, periodId: event.data.periodId }, target: state.target + amount };
      }
      case 'CompensationEventImplemented': {
        const { ceId, periodId, reason } = event.data;
        const amount = parsePence(event.data.amount);
        state.compensationEvents.set(ceId, { amount, periodId, reason, reversal: null });
        return { ...state, target: state.target + amount };
      }
      case 'CompensationEventReversed': {
        const entry = state.compensationEvents.get(event.data.ceId);
        if (entry) entry.reversal = { periodId: event.data.periodId, reason: event.data.reason };
        return { ...state, target: state.target - parsePence(event.data.amount) };
      }
      case 'DefinedCostRecorded': {
        const { costId, periodId, description } = event.data;
        const amount = parsePence(event.data.amount);
        state.costLines.set(costId, { amount, periodId, description, disallowed: 0n, reversal: null });
        return { ...state, definedCost: state.definedCost + amount };
      }
      case 'CostDisallowed': {
        const line = state.costLines.get(event.data.costId);
        if (line) line.disallowed += parsePence(event.data.amount);
        return state;
      }
      case 'DefinedCostReversed': {
        const line = state.costLines.get(event.data.costId);
        if (line) line.reversal = { periodId: event.data.periodId, reason: event.data.reason };
        return state;
      }
      case 'SchemeCompleted':
        return { ...state, completedIn: event.data.periodId };
      case 'SiteDatesRecorded': {
        const { plannedStart, plannedReopen, actualStart, actualReopen } = event.data;
        return { ...state, site: { plannedStart, plannedReopen, actualStart, actualReopen } };
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    if (command.type === 'RegisterScheme') {
      if (!command.allianceFormed) throw notFound('alliance_not_found', 'allianceId', `alliance ${command.allianceId} has not been formed`);
      if (state.registered) {
        if (state.name === command.name) return [];
        throw conflict('scheme_conflict', 'schemeId', `scheme ${command.schemeId} is already registered as "${state.name}"`);
      }
      return [{ type: 'SchemeRegistered', data: { allianceId: command.allianceId, schemeId: command.schemeId, name: command.name } }];
    }

    if (!state.registered) throw notFound('scheme_not_found', 'schemeId', `scheme ${command.schemeId} has not been registered`);
    const fact = { allianceId: command.allianceId, schemeId: command.schemeId, periodId: command.period.periodId };

    switch (command.type) {
      case 'SetTargetBaseline': {
        if (state.baseline) {
          if (state.baseline.amount === command.amount) return [];
          throw conflict(
            'baseline_already_set',
            'amount',
            `scheme ${command.schemeId} already has a target baseline of ${formatPence(state.baseline.amount)}; change the target with compensation events`,
          );
        }
        requireOpenPeriod(command.period);
        requireSchemeTarget(state.target + command.amount, command.schemeId);
        requireAllianceTotal('target', command.allianceTotals.target + command.amount, command.allianceId);
        return [{ type: 'TargetBaselineSet', data: { ...fact, amount: formatPence(command.amount) } }];
      }
      case 'ImplementCompensationEvent': {
        const existing = state.compensationEvents.get(command.ceId);
        if (existing) {
          if (existing.amount === command.amount && existing.reason === command.reason && existing.periodId === command.period.periodId) return [];
          throw conflict('compensation_event_conflict', 'ceId', `compensation event ${command.ceId} was already implemented with different content`);
        }
        requireOpenPeriod(command.period);
        if (!state.baseline) throw conflict('baseline_missing', 'schemeId', `scheme ${command.schemeId} has no target baseline for a compensation event to change`);
        requirePositiveTarget(state.target + command.amount, command.schemeId);
        requireSchemeTarget(state.target + command.amount, command.schemeId);
        requireAllianceTotal('target', command.allianceTotals.target + abs(command.amount), command.allianceId);
        return [
          { type: 'CompensationEventImplemented', data: { ...fact, ceId: command.ceId, amount: formatPence(command.amount), reason: command.reason } },
        ];
      }
      case 'ReverseCompensationEvent': {
        const entry = state.compensationEvents.get(command.ceId);
        if (!entry) throw notFound('compensation_event_not_found', 'ceId', `compensation event ${command.ceId} was not implemented on scheme ${command.schemeId}`);
        if (entry.reversal) {
          if (entry.reversal.reason === command.reason && entry.reversal.periodId === command.period.periodId) return [];
          throw conflict('already_reversed', 'ceId', `compensation event ${command.ceId} was already reversed`);
        }
        requireOpenPeriod(command.period);
        requirePositiveTarget(state.target - entry.amount, command.schemeId);
        requireSchemeTarget(state.target - entry.amount, command.schemeId);
        return [
          { type: 'CompensationEventReversed', data: { ...fact, ceId: command.ceId, amount: formatPence(entry.amount), reason: command.reason } },
        ];
      }
      case 'RecordDefinedCost': {
        const existing = state.costLines.get(command.costId);
        if (existing) {
          if (existing.amount === command.amount && existing.description === command.description && existing.periodId === command.period.periodId) return [];
          throw conflict('cost_line_conflict', 'costId', `cost line ${command.costId} was already recorded with different content`);
        }
        requireOpenPeriod(command.period);
        requireSchemeCost(state.definedCost + command.amount, command.schemeId);
        requireAllianceTotal('cost', command.allianceTotals.cost + command.amount, command.allianceId);
        return [
          {
            type: 'DefinedCostRecorded',
            data: { ...fact, costId: command.costId, amount: formatPence(command.amount), description: command.description },
          },
        ];
      }
      case 'DisallowCost': {
        const line = requireCostLine(state, command.costId, command.schemeId);
        if (line.reversal) throw conflict('cost_line_reversed', 'costId', `cost line ${command.costId} was reversed; nothing is left to disallow`);
        requireOpenPeriod(command.period);
        const left = line.amount - line.disallowed;
        if (command.amount > left) {
          throw conflict(
            'disallowance_exceeds_cost',
            'amount',
            `${formatPence(command.amount)} is more than what is left of cost line ${command.costId} (${formatPence(left)} of ${formatPence(line.amount)})`,
          );
        }
        return [{ type: 'CostDisallowed', data: { ...fact, costId: command.costId, amount: formatPence(command.amount), reason: command.reason } }];
      }
      case 'ReverseDefinedCost': {
        const line = requireCostLine(state, command.costId, command.schemeId);
        if (line.reversal) {
          if (line.reversal.reason === command.reason && line.reversal.periodId === command.period.periodId) return [];
          throw conflict('already_reversed', 'costId', `cost line ${command.costId} was already reversed`);
        }
        requireOpenPeriod(command.period);
        return [
          {
            type: 'DefinedCostReversed',
            data: {
              ...fact,
              costId: command.costId,
              amount: formatPence(line.amount),
              disallowedAmount: formatPence(line.disallowed),
              reason: command.reason,
            },
          },
        ];
      }
      case 'CompleteScheme': {
        if (state.completedIn) {
          if (state.completedIn === command.period.periodId) return [];
          throw conflict('scheme_already_completed', 'schemeId', `scheme ${command.schemeId} was completed in period ${state.completedIn}`);
        }
        requireOpenPeriod(command.period);
        if (!state.baseline) throw conflict('baseline_missing', 'schemeId', `scheme ${command.schemeId} cannot complete without a target baseline`);
        return [{ type: 'SchemeCompleted', data: fact }];
      }
      case 'RecordSiteDates': {
        const dates = mergeSiteDates(state.site, command.dates);
        if (sameSiteDates(dates, state.site)) return [];
        requireOpenPeriod(command.period);
        requireSiteDatesInOrder(dates);
        return [{ type: 'SiteDatesRecorded', data: { ...fact, ...dates } }];
      }
      default:
        return assertNever(command);
    }
  },
};

function requireCostLine(state: SchemeState, costId: string, schemeId: string): CostLine {
  const line = state.costLines.get(costId);
  if (!line) throw notFound('cost_line_not_found', 'costId', `cost line ${costId} was not recorded on scheme ${schemeId}`);
  return line;
}

function requireSchemeTarget(target: Pence, schemeId: string): void {
  if (target > MONEY_BOUNDS.schemeTotal) {
    throw conflict(
      'scheme_total_exceeds_bound',
      'amount',
      `would bring scheme ${schemeId}'s target to ${formatPence(target)}; a scheme's target is at most ${formatPence(MONEY_BOUNDS.schemeTotal)}`,
    );
  }
}

function requireSchemeCost(definedCost: Pence, schemeId: string): void {
  if (definedCost > MONEY_BOUNDS.schemeTotal) {
    throw conflict(
      'scheme_total_exceeds_bound',
      'amount',
      `would bring the cost lines recorded on scheme ${schemeId} to ${formatPence(definedCost)}; they are at most ${formatPence(MONEY_BOUNDS.schemeTotal)} a scheme`,
    );
  }
}

/** Bounds the alliance's gross totals (see AllianceTotals), so every sum the read side shows fits its columns. */
function requireAllianceTotal(kind: keyof AllianceTotals, total: Pence, allianceId: string): void {
  if (total <= MONEY_BOUNDS.allianceTotal) return;
  const what = kind === 'target' ? 'target recorded (baselines plus compensation events, either sign)' : 'cost recorded (every cost line)';
  throw conflict(
    'alliance_total_exceeds_bound',
    'amount',
    `would bring alliance ${allianceId}'s ${what} to ${formatPence(total)}; an alliance's is at most ${formatPence(MONEY_BOUNDS.allianceTotal)}`,
  );
}

function requirePositiveTarget(target: Pence, schemeId: string): void {
  if (target <= 0n) throw conflict('target_not_positive', 'amount', `would leave scheme ${schemeId} with a target of ${formatPence(target)}; a target must stay above 0`);
}
