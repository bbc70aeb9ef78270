import { parsePosition, Position } from '../event-store/event-store.port';
import { invalid } from '../shared/domain-error';
import { FigureOptions } from '../settlement/queries/settlement.queries';

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;
const ASAT_EXAMPLE = 'must be an ISO 8601 timestamp of a real instant, e.g. 2026-04-01T00:00:00Z';

/** An instant written in ISO 8601 whose every part is real: 2026-02-30 or 24:00 is refused, not rolled over. */
export function parseAsAt(text: string | undefined, field = 'asAt'): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const parts = ISO_TIMESTAMP.exec(text);
  if (!parts) throw invalid(field, ASAT_EXAMPLE);
  const [, year, month, day, hour = '0', minute = '0', second = '0', , offsetHours = '0', offsetMinutes = '0'] = parts;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) throw invalid(field, `${ASAT_EXAMPLE}; ${year}-${month}-${day} is not a calendar date`);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) throw invalid(field, `${ASAT_EXAMPLE}; the time is out of range`);
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw invalid(field, ASAT_EXAMPLE);
  return date;
}

export function parseFlag(text: string | undefined, field: string): boolean {
  if (text === undefined || text === '' || text === 'false' || text === '0') return false;
  if (text === 'true' || text === '1') return true;
  throw invalid(field, 'must be true or false');
}

export function figureOptions(query: { asAt?: string; explain?: string }): FigureOptions {
  return { asAt: parseAsAt(query.asAt), explain: parseFlag(query.explain, 'explain') };
}

/** Positions are 64-bit in both stores; a larger number is no position at all. */
const MAX_POSITION = 2n ** 63n - 1n;

export function parseAfter(text: string | undefined): Position | undefined {
  if (!text) return undefined;
  let position: Position;
  try {
    position = parsePosition(text);
  } catch {
    throw invalid('after', 'must be a position from a previous page, e.g. "1200/1200"', 'invalid_query');
  }
  if (position.commit > MAX_POSITION || position.prepare > MAX_POSITION) throw invalid('after', `must be a position from a previous page; ${text} is beyond any position (at most ${MAX_POSITION})`, 'invalid_query');
  return position;
}

export function parseLimit(text: string | undefined, fallback = 100, max = 1000): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) throw invalid('limit', `must be a whole number from 1 to ${max}`);
  return value;
}
