import { abs, Fraction } from './fraction';

/** Money is integer pence. A `number` never holds money in this codebase. */
export type Pence = bigint;

/**
 * What the ledger accepts, so that every figure the read side derives fits its columns
 * (`numeric(20,2)`: below £10^18). Generous for the largest alliance: a highways programme of
 * ten years spends tens of billions. See docs/incentive-model.md, "Bounds".
 */
export const MONEY_BOUNDS = {
  /** Any single amount in a command, either sign: £1,000,000,000,000.00. */
  amount: 100_000_000_000_000n,
  /** A scheme's target, and the sum of every cost line recorded on it: £1,000,000,000,000.00. */
  schemeTotal: 100_000_000_000_000n,
  /** An alliance's recorded target and recorded cost (gross, see the docs): £10,000,000,000,000.00. */
  allianceTotal: 1_000_000_000_000_000n,
} as const;

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
