import { parsePosition, Position } from '../event-store/event-store.port';
import { invalid } from '../shared/domain-error';
import { FigureOptions } from '../settlement/queries/settlement.queries';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseAsAt(text: string | undefined, field = 'asAt'): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const date = new Date(text);
  if (!ISO_TIMESTAMP.test(text) || Number.isNaN(date.getTime())) throw invalid(field, 'must be an ISO 8601 timestamp, e.g. 2026-04-01T00:00:00Z');
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

export function parseAfter(text: string | undefined): Position | undefined {
  if (!text) return undefined;
  try {
    return parsePosition(text);
  } catch {
    throw invalid('after', 'must be a position from a previous page, e.g. "1200/1200"');
  }
}

export function parseLimit(text: string | undefined, fallback = 100, max = 1000): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) throw invalid('limit', `must be a whole number from 1 to ${max}`);
  return value;
}
