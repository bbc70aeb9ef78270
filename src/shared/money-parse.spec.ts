import fc from 'fast-check';
import { isMoneyText, parsePence } from './money';

/** The definition parsePence implements by hand, as it was written before (a pattern, then BigInt). */
const MONEY_PATTERN = /^-?(0|[1-9]\d{0,12})(\.\d{1,2})?$/;
function reference(text: string): bigint | undefined {
  if (!MONEY_PATTERN.test(text) || /^-0(\.0+)?$/.test(text)) return undefined;
  const negative = text.startsWith('-');
  const [pounds, pence = ''] = (negative ? text.slice(1) : text).split('.');
  const value = BigInt(pounds) * 100n + BigInt(pence.padEnd(2, '0'));
  return negative ? -value : value;
}

function parsed(text: string): bigint | undefined {
  return isMoneyText(text) ? parsePence(text) : undefined;
}

describe('money text, read by hand', () => {
  it('agrees with the pattern on the edges', () => {
    const edges = ['0', '-0', '-0.0', '-0.00', '-0.01', '0.1', '0.10', '0.', '.5', '-', '', '00', '01', '-01', '1.234', '1.5.5', '+1', ' 1', '1 ', '1\n', '1e3', '٣', '1.٣',
      '9999999999999.99', '-9999999999999.99', '10000000000000', '1000000000000', '0.00', '-1', '12a', '1.a'];
    for (const text of edges) expect([text, parsed(text)]).toEqual([text, reference(text)]);
  });

  it('agrees with the pattern on any text built from the characters money is written with', () => {
    const moneyish = fc.array(fc.constantFrom('-', '0', '1', '5', '9', '.', 'e', ' '), { maxLength: 18 }).map((chars) => chars.join(''));
    fc.assert(fc.property(moneyish, (text) => parsed(text) === reference(text)), { numRuns: 20000 });
  });

  it('agrees with the pattern on well-formed amounts of every length, either sign', () => {
    const amount = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 2 })).map(([negative, pence, places]) => {
      const digits = pence.toString().padStart(3, '0');
      const text = places === 0 ? BigInt(digits.slice(0, -2)).toString() : `${BigInt(digits.slice(0, -2))}.${digits.slice(-2, places === 1 ? -1 : undefined)}`;
      return negative ? `-${text}` : text;
    });
    fc.assert(fc.property(amount, (text) => parsed(text) === reference(text)), { numRuns: 20000 });
  });

  it('names what it refuses, whatever it was given', () => {
    expect(() => parsePence('-0')).toThrow(new RangeError('Not a money amount: "-0"'));
    expect(() => parsePence(5 as unknown as string)).toThrow(new RangeError('Not a money amount: 5'));
  });
});
