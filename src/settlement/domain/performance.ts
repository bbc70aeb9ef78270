import { Fraction } from '../../shared/fraction';
import { Pence, roundToPenny } from '../../shared/money';
import { Anchors, scoreKpi } from './kpi-score';

export interface KpiInput {
  kpiId: string;
  weight: Fraction;
  gate: boolean;
  anchors: Anchors;
  /** null while the KPI has no value for the period. */
  value: Fraction | null;
}

export interface KpiResult {
  kpiId: string;
  value: Fraction | null;
  score: Fraction | null;
}

export interface Performance {
  kpis: KpiResult[];
  /** S = Σ weight × score; null while a KPI has no value. */
  score: Fraction | null;
  weightsTotal: Fraction;
  gated: boolean;
  amount: Pence;
  missingKpis: string[];
}

const MINUS_HUNDRED = Fraction.of(-100n);

/**
 * The period's performance amount: S/100 of the reward pool when S ≥ 0, of the liability when
 * S < 0. A gate (a gate KPI at −100, or a fatality) cancels a positive amount, never a liability.
 */
export function assessPerformance(inputs: readonly KpiInput[], fatalities: number, rewardPoolMax: Pence, liabilityMax: Pence): Performance {
  const kpis = inputs.map((input) => ({ kpiId: input.kpiId, value: input.value, score: input.value === null ? null : scoreKpi(input.value, input.anchors) }));
  const missingKpis = kpis.filter((kpi) => kpi.value === null).map((kpi) => kpi.kpiId);
  const weightsTotal = inputs.reduce((total, input) => total.add(input.weight), Fraction.ZERO);
  const gated = fatalities > 0 || inputs.some((input, index) => input.gate && kpis[index].score?.eq(MINUS_HUNDRED));
  if (missingKpis.length > 0) return { kpis, score: null, weightsTotal, gated, amount: 0n, missingKpis };

  const score = inputs.reduce((total, input, index) => total.add(input.weight.mul(kpis[index].score!)), Fraction.ZERO);
  const pool = score.sign() >= 0 ? rewardPoolMax : liabilityMax;
  const amount = roundToPenny(score.mul(Fraction.of(pool, 100n)));
  return { kpis, score, weightsTotal, gated, amount: gated && amount > 0n ? 0n : amount, missingKpis };
}
