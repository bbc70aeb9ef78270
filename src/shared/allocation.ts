import { Fraction } from './fraction';
import { Pence } from './money';

/**
 * Splits an amount between parties by exact shares (which sum to 1), to the penny:
 * each quota's magnitude is truncated, the pennies left over go one each to the largest
 * remainders, ties to the party listed first, and the sign is restored. The parts always
 * sum exactly to the amount.
 */
export function allocate(amount: Pence, shares: readonly Fraction[]): Pence[] {
  const negative = amount < 0n;
  const magnitude = Fraction.of(negative ? -amount : amount);
  const quotas = shares.map((share) => magnitude.mul(share));
  const parts = quotas.map((quota) => quota.truncate());
  const remainders = quotas.map((quota, index) => quota.sub(Fraction.of(parts[index])));
  let leftover = magnitude.truncate() - parts.reduce((sum, part) => sum + part, 0n);
  if (leftover < 0n || leftover > BigInt(shares.length)) {
    throw new RangeError('Allocation shares must be non-negative and sum to exactly 1');
  }
  const byRemainder = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => b.remainder.compare(a.remainder) || a.index - b.index);
  for (const { index } of byRemainder) {
    if (leftover === 0n) break;
    parts[index] += 1n;
    leftover -= 1n;
  }
  return negative ? parts.map((part) => -part) : parts;
}
