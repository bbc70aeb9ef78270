import { Fraction } from '../../shared/fraction';

export interface Anchors {
  poor: Fraction;
  mcos: Fraction;
  outstanding: Fraction;
}

const HUNDRED = Fraction.of(100n);

/**
 * +100 at outstanding or better, 0 at the minimum condition of satisfaction, −100 at poor or
 * worse, linear in between. A lower-is-better KPI (poor > outstanding) is scored on the mirror.
 */
export function scoreKpi(value: Fraction, anchors: Anchors): Fraction {
  const lowerIsBetter = anchors.poor.gt(anchors.outstanding);
  const orient = (x: Fraction) => (lowerIsBetter ? x.neg() : x);
  const [v, poor, mcos, outstanding] = [value, anchors.poor, anchors.mcos, anchors.outstanding].map(orient);
  if (!v.lt(outstanding)) return HUNDRED;
  if (!v.gt(poor)) return HUNDRED.neg();
  if (!v.lt(mcos)) return HUNDRED.mul(v.sub(mcos)).div(outstanding.sub(mcos));
  return HUNDRED.neg().mul(mcos.sub(v)).div(mcos.sub(poor));
}

/** Accident frequency rate: (RIDDOR incidents + fatalities) per 100,000 hours worked. */
export function accidentFrequencyRate(reportable: number, hours: Fraction): Fraction | null {
  if (hours.sign() <= 0) return null;
  return Fraction.of(BigInt(reportable) * 100000n).div(hours);
}
