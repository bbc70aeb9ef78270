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

/**
 * Where money text's decimal point is (its length when it has none), or -1 when `text` is not
 * money text: `-?(0|[1-9]\d{0,12})(\.\d{1,2})?`, never negative zero (`-0`, `-0.0`, `-0.00`).
 * Read by hand rather than by regular expression because every imported line parses its amount
 * several times (validation, decision, fold, totals). Only characters are compared: the digits
 * become pence as a bigint (moneyPence), never as a number.
 */
function moneyPoint(text: string): number {
  const length = text.length;
  const negative = text.charCodeAt(0) === 0x2d;
  const start = negative ? 1 : 0;
  let nonZero = false;
  let index = start;
  for (; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) break;
    if (code !== 0x30) nonZero = true;
  }
  const poundDigits = index - start;
  if (poundDigits === 0 || poundDigits > 13 || (poundDigits > 1 && text.charCodeAt(start) === 0x30)) return -1;
  const point = index;
  if (index < length) {
    const places = length - index - 1;
    if (text.charCodeAt(index) !== 0x2e || places < 1 || places > 2) return -1;
    for (index += 1; index < length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < 0x30 || code > 0x39) return -1;
      if (code !== 0x30) nonZero = true;
    }
  }
  return negative && !nonZero ? -1 : point;
}

export function isMoneyText(text: unknown): text is string {
  return typeof text === 'string' && moneyPoint(text) >= 0;
}

/** The pence that money text stands for, or undefined when it is not money text. */
export function moneyPence(text: string): Pence | undefined {
  const point = moneyPoint(text);
  if (point < 0) return undefined;
  // The pounds' digits then the pence's, padded to two places: "-12.5" reads as -1250.
  const places = text.length - point - 1;
  return BigInt(places <= 0 ? `${text}00` : places === 1 ? `${text.slice(0, point)}${text.slice(point + 1)}0` : `${text.slice(0, point)}${text.slice(point + 1)}`);
}

/** Parses pounds as a decimal string with at most two places (`"1234.5"`) into pence. */
export function parsePence(text: string): Pence {
  const pence = typeof text === 'string' ? moneyPence(text) : undefined;
  if (pence === undefined) throw new RangeError(`Not a money amount: ${JSON.stringify(text)}`);
  return pence;
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
