import { abs, Fraction } from './fraction';

/** Money is integer pence. A `number` never holds money in this codebase. */
export type Pence = bigint;

const MONEY_PATTERN = /^-?(0|[1-9]\d{0,12})(\.\d{1,2})?$/;

export function isMoneyText(text: unknown): text is string {
  return typeof text === 'string' && MONEY_PATTERN.test(text) && !/^-0(\.0+)?$/.test(text);
}

/** Parses pounds as a decimal string with at most two places (`"1234.5"`) into pence. */
export function parsePence(text: string): Pence {
  if (!isMoneyText(text)) throw new RangeError(`Not a money amount: ${JSON.stringify(text)}`);
  const negative = text.startsWith('-');
  const [pounds, pence = ''] = (negative ? text.slice(1) : text).split('.');
  const value = BigInt(pounds) * 100n + BigInt(pence.padEnd(2, '0'));
  return negative ? -value : value;
}

/** Formats pence as pounds with exactly two places: `-3000000000n` → `"-30000000.00"`. */
export function formatPence(pence: Pence): string {
  const digits = abs(pence).toString().padStart(3, '0');
  return `${pence < 0n ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Rounds an exact amount of pence to a whole penny, half away from zero. */
export function roundToPenny(amount: Fraction): Pence {
  return amount.round();
}
