import { ALLIANCE_EVENT_TYPES, AllianceEvent, AllianceTerms, KpiDefinition, upcastAllianceTerms, upcastKpiDefinition } from '../../alliance/domain/alliance.events';
import { MEASUREMENT_EVENT_TYPES, MeasurementEvent } from '../../performance/domain/measurement.events';
import { PERIOD_EVENT_TYPES, PeriodEvent, upcastCertificate } from '../../periods/domain/periods.events';
import { SAFETY_EVENT_TYPES, SafetyEvent } from '../../safety/domain/safety.events';
import { SCHEME_EVENT_TYPES, SchemeEvent } from '../../schemes/domain/scheme.events';
import { SiteDates } from '../../schemes/domain/site-dates';
import { SignOff, signOffOf, STATEMENT_EVENT_TYPES, StatementEvent } from '../../statements/domain/statements.events';
import { assertNever } from '../../shared/decider';
import { Fraction } from '../../shared/fraction';
import { parsePence, Pence } from '../../shared/money';
import { PendingCloseProposal, PeriodCertificate } from './summary.types';

export type LedgerEvent = AllianceEvent | PeriodEvent | SchemeEvent | SafetyEvent | MeasurementEvent | StatementEvent;

export interface LedgerPeriod {
  periodId: string;
  startDate: string;
  endDate: string;
  sequence: number;
  certificate: PeriodCertificate | null;
  /** Withdrawn before any fact named it; it counts for nothing. (Absent in ledgers saved before cancelling existed.) */
  cancelled?: boolean;
  /** A close proposed and awaiting a second person. */
  closeProposal?: PendingCloseProposal | null;
}


export interface LedgerScheme {
  schemeId: string;
  name: string;
  completedIn: string | null;
  baseline: Pence;
  /** Net of reversed compensation events. */
  compensation: Pence;
  /** Every cost line recorded, gross. */
  definedCost: Pence;
  /** Disallowances still counting (a reversed line's disallowances stop counting). */
  disallowed: Pence;
  /** Gross amount of the cost lines reversed. */
  reversedCost: Pence;
  /** Net movement of the target and the outturn, by the period each fact was recorded in. */
  byPeriod: Record<string, { target: Pence; outturn: Pence }>;
  /** Time on site: each record of the dates, oldest first, with the period it was recorded in (absent until one is, and in ledgers saved before they existed). */
  site?: Array<SiteDates & { periodId: string }>;
}

export interface LedgerSafety {
  hoursInHundredths: bigint;
  riddor: number;
  fatalities: number;
  lostTime: number;
  nearMiss: number;
}

/** Everything the settlement of one alliance depends on, folded from its events. */
export interface LedgerState {
  allianceId: string;
  terms: AllianceTerms | null;
  kpis: KpiDefinition[];
  periods: LedgerPeriod[];
  schemes: Record<string, LedgerScheme>;
  /** periodId → kpiId → value. */
  measurements: Record<string, Record<string, string>>;
  safety: Record<string, LedgerSafety>;
  /** periodId → partnerId → the latest sign-off of the statement. Absent from ledgers saved before sign-off existed. */
  signOffs?: Record<string, Record<string, SignOff>>;
  /** Facts that reached the store after their period had been certified (only a race allows it); they count from the next period. */
  lateFacts: number;
  eventCount: number;
}

export function initialLedger(allianceId: string): LedgerState {
  return { allianceId, terms: null, kpis: [], periods: [], schemes: {}, measurements: {}, safety: {}, signOffs: {}, lateFacts: 0, eventCount: 0 };
}

/** How a scheme event moves the target and the outturn, or undefined when it moves neither. */
export function moneyEffect(event: SchemeEvent): { target: Pence; outturn: Pence } | undefined {
  switch (event.type) {
    case 'TargetBaselineSet':
    case 'CompensationEventImplemented':
      return { target: parsePence(event.data.amount), outturn: 0n };
    case 'CompensationEventReversed':
      return { target: -parsePence(event.data.amount), outturn: 0n };
    case 'DefinedCostRecorded':
      return { target: 0n, outturn: parsePence(event.data.amount) };
    case 'CostDisallowed':
      return { target: 0n, outturn: -parsePence(event.data.amount) };
    case 'DefinedCostReversed':
      return { target: 0n, outturn: -(parsePence(event.data.amount) - parsePence(event.data.disallowedAmount)) };
    case 'SchemeRegistered':
    case 'SchemeCompleted':
    case 'SiteDatesRecorded':
      return undefined;
    default:
      return assertNever(event);
  }
}

/** Every event type the settlement depends on: each area's own list. */
export const LEDGER_EVENT_TYPES: ReadonlySet<string> = new Set<string>([
  ...ALLIANCE_EVENT_TYPES,
  ...PERIOD_EVENT_TYPES,
  ...SCHEME_EVENT_TYPES,
  ...SAFETY_EVENT_TYPES,
  ...MEASUREMENT_EVENT_TYPES,
  ...STATEMENT_EVENT_TYPES,
]);

/**
 * Folds one event into the alliance's ledger. Updates the state in place and returns it: the
 * projector folds millions of events, and nobody keeps an earlier state.
 */
export function evolveLedger(state: LedgerState, event: LedgerEvent): LedgerState {
  state.eventCount += 1;
  switch (event.type) {
    case 'AllianceFormed':
      state.terms = upcastAllianceTerms(event.data);
      return state;
    case 'KpiDefined': {
      const definition = upcastKpiDefinition(event.data);
      const index = state.kpis.findIndex((kpi) => kpi.kpiId === definition.kpiId);
      if (index >= 0) state.kpis[index] = definition;
      else state.kpis.push(definition);
      return state;
    }
    case 'PeriodOpened': {
      const { periodId, startDate, endDate, sequence } = event.data;
      state.periods.push({ periodId, startDate, endDate, sequence, certificate: null });
      return state;
    }
    case 'PeriodClosed': {
      const period = findLedgerPeriod(state, event.data.periodId);
      if (period) {
        period.certificate = upcastCertificate(event.data.certificate);
        period.closeProposal = null;
      }
      return state;
    }
    case 'PeriodCancelled': {
      const period = findLedgerPeriod(state, event.data.periodId);
      if (period) {
        period.cancelled = true;
        period.closeProposal = null;
      }
      return state;
    }
    case 'PeriodCloseProposed': {
      const period = findLedgerPeriod(state, event.data.periodId);
      if (period) period.closeProposal = { proposedBy: event.data.proposedBy, proposedAt: event.data.proposedAt, digest: event.data.inputs.digest };
      return state;
    }
    case 'PeriodCloseRejected': {
      const period = findLedgerPeriod(state, event.data.periodId);
      if (period) period.closeProposal = null;
      return state;
    }
    case 'SchemeRegistered':
      state.schemes[event.data.schemeId] = {
        schemeId: event.data.schemeId,
        name: event.data.name,
        completedIn: null,
        baseline: 0n,
        compensation: 0n,
        definedCost: 0n,
        disallowed: 0n,
        reversedCost: 0n,
        byPeriod: {},
      };
      return state;
    case 'TargetBaselineSet':
    case 'CompensationEventImplemented':
    case 'CompensationEventReversed':
    case 'DefinedCostRecorded':
    case 'CostDisallowed':
    case 'DefinedCostReversed':
    case 'SchemeCompleted':
    case 'SiteDatesRecorded':
      return evolveScheme(state, event);
    case 'SafetyIncidentReported': {
      const safety = safetyOf(state, event.data.periodId);
      noteLateFact(state, event.data.periodId);
      if (event.data.severity === 'riddor') safety.riddor += 1;
      else if (event.data.severity === 'fatality') safety.fatalities += 1;
      else if (event.data.severity === 'lost-time') safety.lostTime += 1;
      else safety.nearMiss += 1;
      return state;
    }
    case 'HoursWorkedRecorded': {
      noteLateFact(state, event.data.periodId);
      safetyOf(state, event.data.periodId).hoursInHundredths += Fraction.fromDecimal(event.data.hours).mul(Fraction.of(100n)).truncate();
      return state;
    }
    case 'KpiMeasurementRecorded': {
      noteLateFact(state, event.data.periodId);
      const values = (state.measurements[event.data.periodId] ??= {});
      values[event.data.kpiId] = event.data.value;
      return state;
    }
    case 'StatementAcknowledged':
    case 'StatementDisputed': {
      const signOffs = ((state.signOffs ??= {})[event.data.periodId] ??= {});
      signOffs[event.data.partnerId] = signOffOf(event);
      return state;
    }
    default:
      return assertNever(event);
  }
}

function evolveScheme(state: LedgerState, event: Exclude<SchemeEvent, { type: 'SchemeRegistered' }>): LedgerState {
  const scheme = state.schemes[event.data.schemeId];
  if (!scheme) return state;
  noteLateFact(state, event.data.periodId);
  const effect = moneyEffect(event);
  if (effect) {
    const movement = (scheme.byPeriod[event.data.periodId] ??= { target: 0n, outturn: 0n });
    movement.target += effect.target;
    movement.outturn += effect.outturn;
  }
  switch (event.type) {
    case 'TargetBaselineSet':
      scheme.baseline += parsePence(event.data.amount);
      break;
    case 'CompensationEventImplemented':
    case 'CompensationEventReversed':
      scheme.compensation += effect!.target;
      break;
    case 'DefinedCostRecorded':
      scheme.definedCost += parsePence(event.data.amount);
      break;
    case 'CostDisallowed':
      scheme.disallowed += parsePence(event.data.amount);
      break;
    case 'DefinedCostReversed':
      scheme.reversedCost += parsePence(event.data.amount);
      scheme.disallowed -= parsePence(event.data.disallowedAmount);
      break;
    case 'SchemeCompleted':
      scheme.completedIn = event.data.periodId;
      break;
    case 'SiteDatesRecorded': {
      const { plannedStart, plannedReopen, actualStart, actualReopen } = event.data;
      (scheme.site ??= []).push({ periodId: event.data.periodId, plannedStart, plannedReopen, actualStart, actualReopen });
      break;
    }
    default:
      assertNever(event);
  }
  return state;
}

function safetyOf(state: LedgerState, periodId: string): LedgerSafety {
  return (state.safety[periodId] ??= { hoursInHundredths: 0n, riddor: 0, fatalities: 0, lostTime: 0, nearMiss: 0 });
}

/** A fact for a certified or cancelled period: only a race between instances lets one in, and it counts from the next period. */
function noteLateFact(state: LedgerState, periodId: string): void {
  const period = findLedgerPeriod(state, periodId);
  if (period?.certificate || period?.cancelled) state.lateFacts += 1;
}

export function findLedgerPeriod(state: LedgerState, periodId: string): LedgerPeriod | undefined {
  return state.periods.find((period) => period.periodId === periodId);
}

/** The period before this one whose figures carry forward (C(p−1)): the latest earlier period not cancelled. */
export function previousLedgerPeriod(state: LedgerState, period: LedgerPeriod): LedgerPeriod | undefined {
  return state.periods.filter((candidate) => candidate.sequence < period.sequence && !candidate.cancelled).at(-1);
}

export function schemeTarget(scheme: LedgerScheme): Pence {
  return scheme.baseline + scheme.compensation;
}

export function schemeOutturn(scheme: LedgerScheme): Pence {
  return scheme.definedCost - scheme.disallowed - scheme.reversedCost;
}
