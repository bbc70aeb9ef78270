import { AllianceTerms, KpiDefinition } from '../../alliance/domain/alliance.events';
import { allocate } from '../../shared/allocation';
import { exactDecimalText } from '../../shared/decimal-text';
import { Fraction } from '../../shared/fraction';
import { formatPence, parsePence, Pence, roundToPenny } from '../../shared/money';
import { scoreKpi } from './kpi-score';
import { bandsOf } from './period-summary';
import { PeriodSummary } from './summary.types';

/** One share band's part of C: T × |[low, high) ∩ [from, to)| × share, exact (pounds to 4 places). */
export interface BandStep {
  from: string;
  to: string | null;
  share: string;
  /** The part of [R, 1) (underrun) or [1, R) (overrun) that lies in the band; null when none does. */
  overlap: { from: string; to: string } | null;
  length: string;
  amount: string;
}

export interface KpiStep {
  kpiId: string;
  name: string;
  unit: string;
  value: string | null;
  poor: string | null;
  mcos: string | null;
  outstanding: string | null;
  direction: KpiDefinition['direction'] | null;
  /** Which piece of the scoring line the value falls on, with the arithmetic written out. */
  rule: string;
  score: string | null;
  weight: string;
  /** weight × score, to 4 places. */
  weighted: string | null;
  gate: boolean;
}

/** How a split to the penny came out for one partner: quota exact, truncated, and whether a leftover penny went to it. */
export interface AllocationStep {
  partnerId: string;
  share: string;
  quota: string;
  truncated: string;
  remainderPence: string;
  extraPenny: boolean;
  part: string;
}

export interface AllocationDerivation {
  amount: string;
  /** Pennies left after truncating every quota; each goes to the largest remainder (ties: first listed). */
  leftoverPennies: number;
  parties: AllocationStep[];
}

/** Every step from T and A to each partner's payment, as a partner or an auditor checks it by hand. */
export interface PeriodDerivation {
  allianceId: string;
  periodId: string;
  status: PeriodSummary['status'];
  cost: {
    target: string;
    outturn: string;
    /** R = A / T to 6 places; exact when it terminates sooner. */
    ratio: string | null;
    kind: 'underrun' | 'overrun' | 'on target' | 'no target';
    bands: BandStep[];
    uncapped: string;
    painCap: string;
    gainCap: string | null;
    capApplied: 'pain' | 'gain' | null;
    partnersShare: string;
    previousPartnersShare: string;
    thisPeriod: string;
  };
  performance: {
    kpis: KpiStep[];
    score: string | null;
    missingKpis: string[];
    pool: { kind: 'reward' | 'liability'; max: string } | null;
    /** S / 100 × pool before the gate, to 4 places. */
    unrounded: string | null;
    /**
     * Whether S as shown (4 places) gives a different amount from the ledger's: the ledger scores
     * the KPI values unrounded (an AFR is incidents × 100,000 / hours), the summary shows them to
     * 6 places and the scores to 4, so the step from the shown S can be a few pounds out.
     */
    shownScoreIsRounded: boolean;
    gated: boolean;
    amount: string;
  };
  allocation: {
    partnersShare: AllocationDerivation;
    previousPartnersShare: AllocationDerivation;
    performance: AllocationDerivation;
  };
}

const HUNDRED = Fraction.of(100n);

/**
 * Writes out how a period's figures follow from the alliance's terms: the same rules as the
 * engine (cost-share.ts, kpi-score.ts, performance.ts, allocation.ts), step by step. The money
 * figures it ends with are the summary's own; the steps show the arithmetic behind them.
 */
export function derivePeriod(summary: PeriodSummary, terms: AllianceTerms, kpis: readonly KpiDefinition[]): PeriodDerivation {
  const target = parsePence(summary.cost.target);
  const outturn = parsePence(summary.cost.outturn);
  const shares = terms.partners.map((partner) => Fraction.fromDecimal(partner.allocationShare));
  const split = (amount: string) => explainAllocation(parsePence(amount), shares, terms.partners.map((partner) => partner.partnerId));
  return {
    allianceId: summary.allianceId,
    periodId: summary.periodId,
    status: summary.status,
    cost: { ...costSteps(target, outturn, terms), capApplied: summary.cost.capApplied, partnersShare: summary.cost.partnersShare, previousPartnersShare: summary.cost.previousPartnersShare, thisPeriod: summary.cost.partnersShareThisPeriod },
    performance: performanceSteps(summary, terms, kpis),
    allocation: {
      partnersShare: split(summary.cost.partnersShare),
      previousPartnersShare: split(summary.cost.previousPartnersShare),
      performance: split(summary.performance.amount),
    },
  };
}

function costSteps(target: Pence, outturn: Pence, terms: AllianceTerms) {
  const caps = { painCap: terms.painCap, gainCap: terms.gainCap };
  if (target <= 0n) return { target: formatPence(target), outturn: formatPence(outturn), ratio: null, kind: 'no target' as const, bands: [], uncapped: '0.0000', ...caps };
  const ratio = Fraction.of(outturn, target);
  const underrun = ratio.lt(Fraction.ONE);
  const [low, high] = underrun ? [ratio, Fraction.ONE] : [Fraction.ONE, ratio];
  let total = Fraction.ZERO;
  const bands = bandsOf(terms).map((band, index): BandStep => {
    const start = low.max(band.from);
    const end = band.to === null ? high : high.min(band.to);
    const length = end.gt(start) ? end.sub(start) : Fraction.ZERO;
    const amount = Fraction.of(target, 100n).mul(length).mul(band.share);
    total = total.add(amount);
    const source = terms.shareBands[index];
    return {
      from: source.from,
      to: source.to,
      share: source.share,
      overlap: length.isZero() ? null : { from: decimal(start), to: decimal(end) },
      length: decimal(length),
      amount: amount.toFixed(4),
    };
  });
  const signed = underrun ? total : total.neg();
  return {
    target: formatPence(target),
    outturn: formatPence(outturn),
    ratio: decimal(ratio),
    kind: ratio.eq(Fraction.ONE) ? ('on target' as const) : underrun ? ('underrun' as const) : ('overrun' as const),
    bands,
    uncapped: signed.toFixed(4),
    ...caps,
  };
}

function performanceSteps(summary: PeriodSummary, terms: AllianceTerms, kpis: readonly KpiDefinition[]): PeriodDerivation['performance'] {
  const steps = summary.performance.kpis.map((line): KpiStep => {
    const definition = kpis.find((kpi) => kpi.kpiId === line.kpiId);
    const weighted = line.score === null ? null : Fraction.fromDecimal(line.weight).mul(Fraction.fromDecimal(line.score)).toFixed(4);
    return {
      kpiId: line.kpiId,
      name: line.name,
      unit: line.unit,
      value: line.value,
      poor: definition?.poor ?? null,
      mcos: definition?.mcos ?? null,
      outstanding: definition?.outstanding ?? null,
      direction: definition?.direction ?? null,
      rule: definition && line.value !== null ? scoringRule(Fraction.fromDecimal(line.value), definition, line.score) : line.value === null ? 'no value for the period yet' : 'anchors unknown',
      score: line.score,
      weight: line.weight,
      weighted,
      gate: line.gate,
    };
  });
  const { score, amount, gated, missingKpis } = summary.performance;
  if (score === null) return { kpis: steps, score, missingKpis, pool: null, unrounded: null, shownScoreIsRounded: false, gated, amount };
  const shownScore = Fraction.fromDecimal(score);
  const pool = shownScore.sign() >= 0 ? { kind: 'reward' as const, max: terms.rewardPoolMax } : { kind: 'liability' as const, max: terms.liabilityMax };
  const fromShown = shownScore.mul(Fraction.fromDecimal(pool.max)).div(HUNDRED);
  const penceFromShown = roundToPenny(fromShown.mul(HUNDRED));
  const shownScoreIsRounded = (gated && penceFromShown > 0n ? 0n : penceFromShown) !== parsePence(amount);
  return { kpis: steps, score, missingKpis, pool, unrounded: fromShown.toFixed(4), shownScoreIsRounded, gated, amount };
}

/**
 * The piece of the scoring line a value falls on (kpi-score.ts), written out with its numbers.
 * When the value is shown rounded and so scores differently from the ledger's `score`, it says so.
 */
export function scoringRule(value: Fraction, kpi: Pick<KpiDefinition, 'poor' | 'mcos' | 'outstanding'>, score: string | null = null): string {
  const rule = lineOf(value, kpi);
  const fromShown = scoreKpi(value, { poor: Fraction.fromDecimal(kpi.poor), mcos: Fraction.fromDecimal(kpi.mcos), outstanding: Fraction.fromDecimal(kpi.outstanding) }).toFixed(4);
  return score === null || fromShown === score ? rule : `${rule}; the value is shown rounded: unrounded, it scores ${score}`;
}

function lineOf(value: Fraction, kpi: Pick<KpiDefinition, 'poor' | 'mcos' | 'outstanding'>): string {
  const [poor, mcos, outstanding] = [kpi.poor, kpi.mcos, kpi.outstanding].map(Fraction.fromDecimal);
  const lowerIsBetter = poor.gt(outstanding);
  const better = (a: Fraction, b: Fraction) => (lowerIsBetter ? a.lt(b) : a.gt(b));
  const v = decimal(value);
  if (!better(outstanding, value)) return `${v} is at or beyond outstanding (${kpi.outstanding}): +100`;
  if (!better(value, poor)) return `${v} is at or beyond poor (${kpi.poor}): −100`;
  if (!better(mcos, value)) {
    const score = HUNDRED.mul(value.sub(mcos)).div(outstanding.sub(mcos));
    return `between MCOS and outstanding: 100 × (${v} − ${kpi.mcos}) / (${kpi.outstanding} − ${kpi.mcos}) = ${score.toFixed(4)}`;
  }
  const score = HUNDRED.neg().mul(mcos.sub(value)).div(mcos.sub(poor));
  return `between poor and MCOS: −100 × (${kpi.mcos} − ${v}) / (${kpi.mcos} − ${kpi.poor}) = ${score.toFixed(4)}`;
}

/** The steps of allocation.ts for one amount: the parts are allocate()'s, so they sum exactly to it. */
export function explainAllocation(amount: Pence, shares: readonly Fraction[], partnerIds: readonly string[]): AllocationDerivation {
  const magnitude = Fraction.of(amount < 0n ? -amount : amount);
  const parts = allocate(amount, shares);
  const sign = amount < 0n ? -1n : 1n;
  const parties = shares.map((share, index): AllocationStep => {
    const quota = magnitude.mul(share);
    const truncated = quota.truncate();
    return {
      partnerId: partnerIds[index],
      share: exactDecimalText(share),
      quota: formatPounds4(quota.mul(Fraction.of(sign))),
      truncated: formatPence(truncated * sign),
      remainderPence: quota.sub(Fraction.of(truncated)).toFixed(4),
      extraPenny: parts[index] * sign > truncated,
      part: formatPence(parts[index]),
    };
  });
  return { amount: formatPence(amount), leftoverPennies: parties.filter((party) => party.extraPenny).length, parties };
}

/** Pence as a fraction, shown in pounds to 4 places (two beyond the penny). */
function formatPounds4(pence: Fraction): string {
  return pence.div(HUNDRED).toFixed(4);
}

function decimal(value: Fraction): string {
  const exact = exactDecimalText(value, 12);
  return exact.length - exact.indexOf('.') - 1 > 6 && exact.includes('.') ? value.toFixed(6) : exact;
}
