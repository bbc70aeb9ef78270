import { Fraction } from './fraction';
import { formatPence, parsePence } from './money';

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
});
