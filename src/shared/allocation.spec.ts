import fc from 'fast-check';
import { allocate } from './allocation';
import { Fraction } from './fraction';

const shares = (...values: string[]) => values.map((value) => Fraction.fromDecimal(value));
const workedExampleShares = shares('0.10', '0.15', '0.15', '0.20', '0.20', '0.20');

describe('allocate', () => {
  it('splits the worked example’s partners’ total exactly', () => {
    expect(allocate(1525000000n, workedExampleShares)).toEqual([152500000n, 228750000n, 228750000n, 305000000n, 305000000n, 305000000n]);
  });

  it('gives leftover pennies to the largest remainders, ties to the partner listed first', () => {
    expect(allocate(100n, shares('0.333', '0.333', '0.334'))).toEqual([33n, 33n, 34n]);
    expect(allocate(2n, shares('0.25', '0.25', '0.25', '0.25'))).toEqual([1n, 1n, 0n, 0n]);
    expect(allocate(1n, shares('0.5', '0.5'))).toEqual([1n, 0n]);
  });

  it('restores the sign of a negative amount', () => {
    expect(allocate(-2n, shares('0.25', '0.25', '0.25', '0.25'))).toEqual([-1n, -1n, 0n, 0n]);
    expect(allocate(-3000000000n, workedExampleShares)).toEqual([-300000000n, -450000000n, -450000000n, -600000000n, -600000000n, -600000000n]);
  });

  it('splits nothing into nothing, and gives a party with no share nothing', () => {
    expect(allocate(0n, shares('0.5', '0.5'))).toEqual([0n, 0n]);
    expect(allocate(7n, shares('0', '1'))).toEqual([0n, 7n]);
    expect(allocate(7n, shares('1'))).toEqual([7n]);
  });

  it('hands out every leftover penny, one each, largest remainder first', () => {
    // Quotas 2.5, 2.4, 2.1 of 7: truncated 2, 2, 2; the one leftover penny goes to 2.5.
    expect(allocate(7n, [Fraction.of(5n, 14n), Fraction.of(12n, 35n), Fraction.of(3n, 10n)])).toEqual([3n, 2n, 2n]);
    // Thirds of 2: two leftover pennies, to the first two of three equal remainders.
    expect(allocate(2n, [Fraction.of(1n, 3n), Fraction.of(1n, 3n), Fraction.of(1n, 3n)])).toEqual([1n, 1n, 0n]);
  });

  it('refuses shares that do not sum to 1', () => {
    expect(() => allocate(100n, shares('0.5', '0.6'))).toThrow(RangeError);
    expect(() => allocate(100n, shares('0.5', '0.4'))).toThrow(RangeError);
  });

  const shareSets = fc
    .array(fc.integer({ min: 0, max: 10000 }), { minLength: 1, maxLength: 12 })
    .filter((weights) => weights.some((weight) => weight > 0))
    .map((weights) => {
      const total = BigInt(weights.reduce((sum, weight) => sum + weight, 0));
      return weights.map((weight) => Fraction.of(BigInt(weight), total));
    });

  it('always sums exactly to the amount split, each part within a penny of its exact quota', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }), shareSets, (amount, split) => {
        const parts = allocate(amount, split);
        expect(parts.reduce((sum, part) => sum + part, 0n)).toBe(amount);
        parts.forEach((part, index) => {
          const exact = Fraction.of(amount).mul(split[index]);
          expect(exact.sub(Fraction.of(part)).abs().lt(Fraction.ONE)).toBe(true);
          if (part !== 0n) expect(part < 0n).toBe(amount < 0n);
        });
      }),
      { numRuns: 500 },
    );
  });
});
