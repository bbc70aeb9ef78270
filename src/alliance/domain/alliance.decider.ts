import { assertNever, Decider } from '../../shared/decider';
import { conflict, FieldError, invalidFields, notFound } from '../../shared/domain-error';
import { exactDecimalText } from '../../shared/decimal-text';
import { Fraction } from '../../shared/fraction';
import { formatPence, parsePence } from '../../shared/money';
import { sameJson } from '../../shared/canonical-json';
import { AllianceEvent, AllianceTerms, CloseApprovals, DERIVED_KPI_SOURCES, KpiDefinition, upcastAllianceTerms, upcastKpiDefinition } from './alliance.events';

export type AllianceState =
  | { status: 'not-formed' }
  | { status: 'formed'; terms: AllianceTerms; kpis: ReadonlyMap<string, KpiDefinition> };

/** `closeApprovals` left out means 2 for a new alliance, and "as formed" when the formation is repeated. */
export type FormAllianceTerms = Omit<AllianceTerms, 'painCap' | 'closeApprovals'> & { painCap: string | null; closeApprovals?: CloseApprovals };

export const DEFAULT_CLOSE_APPROVALS: CloseApprovals = 2;

export type AllianceCommand =
  | { type: 'FormAlliance'; terms: FormAllianceTerms }
  | { type: 'DefineKpi'; definition: Omit<KpiDefinition, 'direction'> };

export const allianceDecider: Decider<AllianceCommand, AllianceEvent, AllianceState> = {
  initialState: () => ({ status: 'not-formed' }),

  evolve(state, event) {
    switch (event.type) {
      case 'AllianceFormed':
        return { status: 'formed', terms: upcastAllianceTerms(event.data), kpis: new Map() };
      case 'KpiDefined': {
        if (state.status !== 'formed') return state;
        const kpis = new Map(state.kpis);
        kpis.set(event.data.kpiId, upcastKpiDefinition(event.data));
        return { ...state, kpis };
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'FormAlliance': {
        const closeApprovals = command.terms.closeApprovals ?? (state.status === 'formed' ? state.terms.closeApprovals : DEFAULT_CLOSE_APPROVALS);
        const terms = normaliseTerms({ ...command.terms, closeApprovals });
        if (state.status === 'formed') {
          if (sameJson(state.terms, terms)) return [];
          throw conflict('alliance_already_formed', 'allianceId', `alliance ${terms.allianceId} is already formed with different terms`);
        }
        return [{ type: 'AllianceFormed', data: terms }];
      }
      case 'DefineKpi': {
        const { definition } = command;
        if (state.status !== 'formed') throw notFound('alliance_not_found', 'allianceId', `alliance ${definition.allianceId} has not been formed`);
        requireValueRange(definition);
        const defined: KpiDefinition = { ...definition, direction: directionOf(definition) };
        const existing = state.kpis.get(definition.kpiId);
        if (existing && sameJson(existing, defined)) return [];
        return [{ type: 'KpiDefined', data: defined }];
      }
      default:
        return assertNever(command);
    }
  },
};

/** Checks the commercial rules of a formation and fills the default pain cap (sum of fees at risk). */
function normaliseTerms(terms: FormAllianceTerms & { closeApprovals: CloseApprovals }): AllianceTerms {
  const errors: FieldError[] = [];
  const partnerIds = new Set<string>();
  terms.partners.forEach((partner, index) => {
    if (partnerIds.has(partner.partnerId)) errors.push({ field: `partners[${index}].partnerId`, reason: `duplicates partner ${partner.partnerId}` });
    partnerIds.add(partner.partnerId);
    if (Fraction.fromDecimal(partner.allocationShare).gt(Fraction.ONE)) {
      errors.push({ field: `partners[${index}].allocationShare`, reason: 'must not exceed 1' });
    }
  });
  const shareTotal = terms.partners.reduce((sum, partner) => sum.add(Fraction.fromDecimal(partner.allocationShare)), Fraction.ZERO);
  if (!shareTotal.eq(Fraction.ONE)) {
    errors.push({ field: 'partners', reason: `allocation shares sum to ${exactDecimalText(shareTotal)}; they must sum to exactly 1` });
  }
  errors.push(...bandProblems(terms.shareBands));
  if (errors.length > 0) throw invalidFields(errors);

  const feesAtRisk = terms.partners.reduce((sum, partner) => sum + parsePence(partner.feeAtRisk), 0n);
  return {
    allianceId: terms.allianceId,
    name: terms.name,
    owner: terms.owner,
    partners: terms.partners.map((partner) => ({ ...partner, feeAtRisk: formatPence(parsePence(partner.feeAtRisk)) })),
    shareBands: terms.shareBands.map((band) => ({ from: band.from, to: band.to ?? null, share: band.share })),
    painCap: formatPence(terms.painCap === null ? feesAtRisk : parsePence(terms.painCap)),
    gainCap: terms.gainCap === null ? null : formatPence(parsePence(terms.gainCap)),
    rewardPoolMax: formatPence(parsePence(terms.rewardPoolMax)),
    liabilityMax: formatPence(parsePence(terms.liabilityMax)),
    closeApprovals: terms.closeApprovals,
  };
}

/** Bands must cover [0, ∞) exactly once: start at 0, each starting where the last ended, only the last open. */
function bandProblems(bands: AllianceTerms['shareBands']): FieldError[] {
  const errors: FieldError[] = [];
  let expectedFrom = Fraction.ZERO;
  bands.forEach((band, index) => {
    const from = Fraction.fromDecimal(band.from);
    if (!from.eq(expectedFrom)) {
      const reason = index === 0 ? 'the first band must start at 0' : from.gt(expectedFrom) ? `leaves a gap after ${bands[index - 1].to}` : `overlaps the band before, which ends at ${bands[index - 1].to}`;
      errors.push({ field: `shareBands[${index}].from`, reason });
    }
    if (Fraction.fromDecimal(band.share).gt(Fraction.ONE)) errors.push({ field: `shareBands[${index}].share`, reason: 'must not exceed 1' });
    const isLast = index === bands.length - 1;
    if (band.to === null || band.to === undefined) {
      if (!isLast) errors.push({ field: `shareBands[${index}].to`, reason: 'only the last band can be open-ended' });
      return;
    }
    const to = Fraction.fromDecimal(band.to);
    if (!to.gt(from)) errors.push({ field: `shareBands[${index}].to`, reason: `must be greater than from (${band.from})` });
    if (isLast) errors.push({ field: `shareBands[${index}].to`, reason: 'the last band must be open-ended (no "to")' });
    expectedFrom = to;
  });
  return errors;
}

/** Bounds on measured values: only for measured KPIs, and a range that is not empty. */
function requireValueRange({ source, min, max }: Omit<KpiDefinition, 'direction'>): void {
  if (DERIVED_KPI_SOURCES.includes(source) && (min !== null || max !== null)) {
    throw invalidFields([{ field: min !== null ? 'min' : 'max', reason: `bounds measured values; a ${source} KPI is derived, not measured` }]);
  }
  if (min !== null && max !== null && !Fraction.fromDecimal(min).lt(Fraction.fromDecimal(max))) {
    throw invalidFields([{ field: 'max', reason: `must be greater than min (${min})` }]);
  }
}

function directionOf(definition: Omit<KpiDefinition, 'direction'>): KpiDefinition['direction'] {
  const poor = Fraction.fromDecimal(definition.poor);
  const mcos = Fraction.fromDecimal(definition.mcos);
  const outstanding = Fraction.fromDecimal(definition.outstanding);
  const rising = poor.lt(mcos) && mcos.lt(outstanding);
  const falling = poor.gt(mcos) && mcos.gt(outstanding);
  if (!rising && !falling) {
    throw invalidFields([{ field: 'mcos', reason: `must lie strictly between poor (${definition.poor}) and outstanding (${definition.outstanding})` }]);
  }
  return rising ? 'higher-is-better' : 'lower-is-better';
}

export function partnerIdsOf(state: AllianceState): ReadonlySet<string> {
  return new Set(state.status === 'formed' ? state.terms.partners.map((partner) => partner.partnerId) : []);
}
