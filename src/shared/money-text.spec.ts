import { allocate } from './allocation';
import { exactDecimalText, isDecimalText } from './decimal-text';
import { Fraction } from './fraction';
import { isMoneyText, parsePence } from './money';

/** Examples at the edges of decimal and money text, found by mutation testing (docs/testing.md). */
describe('decimal text', () => {
  it('takes plain decimals, and refuses negative zero in every spelling, other types and other text', () => {
    for (const text of ['0', '1.5', '-1.5', '-0.5', '-10', '123456789012345.123456789012']) expect([text, isDecimalText(text)]).toEqual([text, true]);
    for (const text of ['-0', '-0.0', '-0.00', 'abc', '1e3', '01', '1.']) expect([text, isDecimalText(text)]).toEqual([text, false]);
    expect(isDecimalText(5)).toBe(false);
    expect(isDecimalText(null)).toBe(false);
  });

  it('writes an exact value without trailing zeros, an integer as it is, and a vanishing negative as 0', () => {
    expect(exactDecimalText(Fraction.of(3n, 2n))).toBe('1.5');
    expect(exactDecimalText(Fraction.of(20n))).toBe('20');
    expect(exactDecimalText(Fraction.of(20n), 0)).toBe('20');
    expect(exactDecimalText(Fraction.of(-5n, 4n))).toBe('-1.25');
    expect(exactDecimalText(Fraction.of(-1n, 10n ** 13n))).toBe('0');
    expect(exactDecimalText(Fraction.of(0n))).toBe('0');
  });
});

describe('money text', () => {
  it('refuses other types and negative zero, and names the text it refuses', () => {
    expect(isMoneyText(5)).toBe(false);
    expect(isMoneyText('5')).toBe(true);
    expect(isMoneyText('-0.00')).toBe(false);
    expect(isMoneyText('-0.01')).toBe(true);
    expect(() => parsePence('12.345')).toThrow(new RangeError('Not a money amount: "12.345"'));
  });
});

describe('allocation', () => {
  it('refuses shares that do not sum to 1, saying so', () => {
    expect(() => allocate(1000n, [Fraction.of(1n, 2n), Fraction.of(3n, 5n)])).toThrow(new RangeError('Allocation shares must be non-negative and sum to exactly 1'));
  });

  it('gives the pennies left over to the first listed among equal remainders, for as many parties as an alliance has', () => {
    const sevenths = Array.from({ length: 7 }, () => Fraction.of(1n, 7n));
    expect(allocate(3n, sevenths)).toEqual([1n, 1n, 1n, 0n, 0n, 0n, 0n]);
    expect(allocate(-3n, sevenths)).toEqual([-1n, -1n, -1n, 0n, 0n, 0n, 0n]);
  });
});

describe('fractions', () => {
  it('keeps the sign on the numerator and the lowest terms, and writes itself as n/d or an integer', () => {
    const half = Fraction.of(2n, 4n);
    expect([half.numerator, half.denominator]).toEqual([1n, 2n]);
    const negative = Fraction.of(3n, -6n);
    expect([negative.numerator, negative.denominator]).toEqual([-1n, 2n]);
    expect(Fraction.fromDecimal('-1.5').toString()).toBe('-3/2');
    expect(Fraction.fromDecimal('1.5').toString()).toBe('3/2');
    expect(Fraction.of(6n, 3n).toString()).toBe('2');
    expect(Fraction.of(-3n, 2n).abs().toString()).toBe('3/2');
  });

  it('refuses a zero denominator and division by zero, saying which', () => {
    expect(() => Fraction.of(1n, 0n)).toThrow(new RangeError('Fraction denominator cannot be zero'));
    expect(() => Fraction.ONE.div(Fraction.ZERO)).toThrow(new RangeError('Division by zero'));
  });

  it('writes no decimal point for zero places', () => {
    expect(Fraction.of(20n).toFixed(0)).toBe('20');
    expect(Fraction.of(-7n, 2n).toFixed(0)).toMatch(/^-?\d+$/);
  });
});
