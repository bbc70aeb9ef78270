import { Fraction } from '../../shared/fraction';
import { Pence, roundToPenny } from '../../shared/money';

export interface Band {
  from: Fraction;
  /** null: open-ended. */
  to: Fraction | null;
  share: Fraction;
}

export interface CostShare {
  /** R = A / T, or null while no target is in the pool. */
  ratio: Fraction | null;
  /** The banded share before caps, exact. */
  uncapped: Fraction;
  /** C: clamped to [−painCap, gainCap] and rounded to the penny. Positive is a gain to partners. */
  partnersShare: Pence;
  capApplied: 'pain' | 'gain' | null;
}

/**
 * Partners' share of the variance between target T and outturn A: for an underrun, the part of
 * [R, 1) in each band times its share; for an overrun, the part of [1, R). Amounts are T × length
 * × share, exact until the final rounding.
 */
export function partnersCostShare(target: Pence, outturn: Pence, bands: readonly Band[], painCap: Pence, gainCap: Pence | null): CostShare {
  if (target <= 0n) return { ratio: null, uncapped: Fraction.ZERO, partnersShare: 0n, capApplied: null };
  const ratio = Fraction.of(outturn, target);
  const underrun = ratio.lt(Fraction.ONE);
  const [low, high] = underrun ? [ratio, Fraction.ONE] : [Fraction.ONE, ratio];
  let weightedLength = Fraction.ZERO;
  for (const band of bands) weightedLength = weightedLength.add(overlap(low, high, band).mul(band.share));
  const magnitude = Fraction.of(target).mul(weightedLength);
  const uncapped = underrun ? magnitude : magnitude.neg();

  const pain = Fraction.of(-painCap);
  if (uncapped.lt(pain)) return { ratio, uncapped, partnersShare: -painCap, capApplied: 'pain' };
  if (gainCap !== null && uncapped.gt(Fraction.of(gainCap))) return { ratio, uncapped, partnersShare: gainCap, capApplied: 'gain' };
  return { ratio, uncapped, partnersShare: roundToPenny(uncapped), capApplied: null };
}

function overlap(low: Fraction, high: Fraction, band: Band): Fraction {
  const start = low.max(band.from);
  const end = band.to === null ? high : high.min(band.to);
  return end.gt(start) ? end.sub(start) : Fraction.ZERO;
}
