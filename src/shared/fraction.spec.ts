import { Fraction } from './fraction';
import { formatPence, isMoneyText, parsePence, roundToPenny } from './money';

describe('Fraction and money text', () => {
  it('rounds half away from zero', () => {
    expect(Fraction.of(5n, 2n).round()).toBe(3n);
    expect(Fraction.of(-5n, 2n).round()).toBe(-3n);
    expect(Fraction.of(249n, 100n).round()).toBe(2n);
    expect(Fraction.of(-1n, 3n).round()).toBe(0n);
    expect(Fraction.fromDecimal('0.0000005').toFixed(6)).toBe('0.000001');
    expect(Fraction.fromDecimal('-0.00005').toFixed(4)).toBe('-0.0001');
    expect(Fraction.of(19n, 20n).toFixed(6)).toBe('0.950000');
  });

  it('reads and writes pounds as pence without floats', () => {
    expect(parsePence('1234.5')).toBe(123450n);
    expect(parsePence('-30000000.00')).toBe(-3000000000n);
    expect(parsePence('0.07')).toBe(7n);
    expect(formatPence(-5n)).toBe('-0.05');
    expect(formatPence(999999999999999n)).toBe('9999999999999.99');
    expect(() => parsePence('1.234')).toThrow();
  });

  it('keeps the edges of money text exact', () => {
    expect(formatPence(0n)).toBe('0.00');
    expect(formatPence(5n)).toBe('0.05');
    expect(formatPence(-100n)).toBe('-1.00');
    expect(parsePence('0.1')).toBe(10n);
    expect(parsePence('-0.01')).toBe(-1n);
    expect(parsePence('9999999999999.99')).toBe(999999999999999n);
    for (const refused of ['-0', '-0.00', '10000000000000', '01', '1.', '.5', '1e3', ' 1', '1,000']) expect(isMoneyText(refused)).toBe(false);
    expect(roundToPenny(Fraction.of(1n, 2n))).toBe(1n);
    expect(roundToPenny(Fraction.of(-1n, 2n))).toBe(-1n);
    expect(roundToPenny(Fraction.of(-49n, 100n))).toBe(0n);
  });
});
