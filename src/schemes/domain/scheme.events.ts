import { DomainEvent } from '../../shared/decider';

interface SchemeFact {
  allianceId: string;
  schemeId: string;
  /** The open period the fact is recorded in. */
  periodId: string;
}

export type SchemeRegistered = DomainEvent<'SchemeRegistered', { allianceId: string; schemeId: string; name: string }>;
export type TargetBaselineSet = DomainEvent<'TargetBaselineSet', SchemeFact & { amount: string }>;
export type CompensationEventImplemented = DomainEvent<'CompensationEventImplemented', SchemeFact & { ceId: string; amount: string; reason: string | null }>;
/** `amount` is the reversed compensation event's amount: the target moves by −amount. */
export type CompensationEventReversed = DomainEvent<'CompensationEventReversed', SchemeFact & { ceId: string; amount: string; reason: string }>;
export type DefinedCostRecorded = DomainEvent<'DefinedCostRecorded', SchemeFact & { costId: string; amount: string; description: string | null }>;
export type CostDisallowed = DomainEvent<'CostDisallowed', SchemeFact & { costId: string; amount: string; reason: string }>;
/** Outturn moves by −(amount − disallowedAmount): the line and its disallowances stop counting. */
export type DefinedCostReversed = DomainEvent<
  'DefinedCostReversed',
  SchemeFact & { costId: string; amount: string; disallowedAmount: string; reason: string }
>;
export type SchemeCompleted = DomainEvent<'SchemeCompleted', SchemeFact>;
/** The scheme's site dates as they now stand (all four: a later record replaces the set). */
export type SiteDatesRecorded = DomainEvent<
  'SiteDatesRecorded',
  SchemeFact & { plannedStart: string | null; plannedReopen: string | null; actualStart: string | null; actualReopen: string | null }
>;

export type SchemeEvent =
  | SchemeRegistered
  | TargetBaselineSet
  | CompensationEventImplemented
  | CompensationEventReversed
  | DefinedCostRecorded
  | CostDisallowed
  | DefinedCostReversed
  | SchemeCompleted
  | SiteDatesRecorded;

export const SCHEME_EVENT_TYPES = [
  'SchemeRegistered',
  'TargetBaselineSet',
  'CompensationEventImplemented',
  'CompensationEventReversed',
  'DefinedCostRecorded',
  'CostDisallowed',
  'DefinedCostReversed',
  'SchemeCompleted',
  'SiteDatesRecorded',
] as const;
