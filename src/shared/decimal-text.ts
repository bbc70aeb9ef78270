import { Fraction } from './fraction';

/** Plain decimal text: optional minus, no exponent, no leading zeros, up to 12 places. */
const DECIMAL_PATTERN = /^-?(0|[1-9]\d{0,14})(\.\d{1,12})?$/;

export function isDecimalText(text: unknown): text is string {
  return typeof text === 'string' && DECIMAL_PATTERN.test(text) && !/^-0(\.0+)?$/.test(text);
}

/** Decimal text for an exact value that is known to terminate within `maxPlaces` places. */
export function exactDecimalText(value: Fraction, maxPlaces = 12): string {
  const text = value.toFixed(maxPlaces);
  if (!text.includes('.')) return text;
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/**
 * Bounds on quantities that are not money, so that the read side can hold what they derive
 * (KPI values are `numeric(30,6)`). See docs/incentive-model.md, "Bounds".
 */
export const QUANTITY_BOUNDS = {
  /** Hours worked in one entry, either way, and in one period: 100,000,000 hours. */
  hours: '100000000',
  /** A KPI measurement, anchor or bound, either way. */
  kpiValue: '1000000000000',
} as const;
