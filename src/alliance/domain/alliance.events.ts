import { DomainEvent } from '../../shared/decider';

export interface PartnerTerms {
  partnerId: string;
  name: string;
  role: string;
  allocationShare: string;
  feeAtRisk: string;
}

/** Partners' share of the variance whose ratio R = outturn / target falls in [from, to). */
export interface ShareBand {
  from: string;
  /** null for the last, open-ended band. */
  to: string | null;
  share: string;
}

/** How many people it takes to close a period: 1 (ClosePeriod certifies at once) or 2 (propose, then approve). */
export type CloseApprovals = 1 | 2;

export interface AllianceTerms {
  allianceId: string;
  name: string;
  owner: string;
  partners: PartnerTerms[];
  shareBands: ShareBand[];
  painCap: string;
  gainCap: string | null;
  rewardPoolMax: string;
  liabilityMax: string;
  closeApprovals: CloseApprovals;
}

/** Where a KPI's value comes from: measurements, or derived (`afr` from incidents and hours, `time-on-site` from schemes' site dates). */
export type KpiSource = 'measured' | 'afr' | 'time-on-site';
export const DERIVED_KPI_SOURCES: readonly KpiSource[] = ['afr', 'time-on-site'];

export interface KpiDefinition {
  allianceId: string;
  kpiId: string;
  name: string;
  unit: string;
  source: KpiSource;
  poor: string;
  mcos: string;
  outstanding: string;
  weight: string;
  gate: boolean;
  /** Derived from the anchors; recorded so readers need not work it out. */
  direction: 'higher-is-better' | 'lower-is-better';
  /** The range a measured value must lie in, each end inclusive; null for no bound. */
  min: string | null;
  max: string | null;
}

/** `KpiDefined` as first recorded, before KPIs could bound their values. */
type KpiDefinedData = Omit<KpiDefinition, 'min' | 'max'> & Partial<Pick<KpiDefinition, 'min' | 'max'>>;

/** Reads a `KpiDefined` of any shape: one recorded before bounds existed carries none. */
export function upcastKpiDefinition(data: KpiDefinedData): KpiDefinition {
  return { ...data, min: data.min ?? null, max: data.max ?? null };
}

export type AllianceFormed = DomainEvent<'AllianceFormed', AllianceTerms>;

/** AllianceFormed as it may be stored: events written before `closeApprovals` existed lack it. */
export type StoredAllianceFormed = DomainEvent<'AllianceFormed', Omit<AllianceTerms, 'closeApprovals'> & { closeApprovals?: CloseApprovals }>;

/**
 * An event keeps the meaning it had when written: an alliance formed before four-eyes closing
 * existed closed its periods with one call, so it reads as `closeApprovals: 1`.
 */
export function upcastAllianceTerms(data: StoredAllianceFormed['data']): AllianceTerms {
  return { ...data, closeApprovals: data.closeApprovals ?? 1 };
}
export type KpiDefined = DomainEvent<'KpiDefined', KpiDefinition>;
export type AllianceEvent = AllianceFormed | KpiDefined;

export const ALLIANCE_EVENT_TYPES = ['AllianceFormed', 'KpiDefined'] as const;
