import { requireSingleQueryValues } from './http-edge';
import { parseAfter, parseAsAt, parseLimit } from './query-params';
import { refusalOf } from '../../test/support/refusal';

function reason(run: () => unknown): string {
  const error = refusalOf(run);
  return `${error.errors[0].field}: ${error.errors[0].reason}`;
}

describe('query parameters', () => {
  it.each([
    ['2026-04-01', '2026-04-01T00:00:00.000Z'],
    ['2024-02-29T12:30:00Z', '2024-02-29T12:30:00.000Z'],
    ['2026-04-01T01:00:00+01:00', '2026-04-01T00:00:00.000Z'],
    ['2026-12-31T23:59:59.999Z', '2026-12-31T23:59:59.999Z'],
  ])('reads asAt=%s', (text, iso) => {
    expect(parseAsAt(text)!.toISOString()).toBe(iso);
  });

  it.each([
    ['2026-02-30', /2026-02-30 is not a calendar date/],
    ['2025-02-29', /not a calendar date/],
    ['2026-04-31T00:00:00Z', /not a calendar date/],
    ['2026-13-01', /not a calendar date/],
    ['2026-00-10', /not a calendar date/],
    ['2026-04-00', /not a calendar date/],
    ['2026-04-01T24:00:00Z', /time is out of range/],
    ['2026-04-01T12:60:00Z', /time is out of range/],
    ['2026-04-01T12:00:60Z', /time is out of range/],
    ['2026-04-01T12:00:00+24:00', /time is out of range/],
    ['yesterday', /ISO 8601/],
    ['1743465600', /ISO 8601/],
  ])('refuses asAt=%s', (text, problem) => {
    expect(reason(() => parseAsAt(text))).toMatch(problem);
  });

  it('refuses positions beyond 64 bits and malformed ones', () => {
    expect(parseAfter('9223372036854775807/1')).toEqual({ commit: 9223372036854775807n, prepare: 1n });
    expect(reason(() => parseAfter('99999999999999999999/1'))).toMatch(/^after: .*beyond any position/);
    expect(reason(() => parseAfter('1/9223372036854775808'))).toMatch(/beyond any position/);
    expect(reason(() => parseAfter('12'))).toMatch(/^after: must be a position/);
  });

  it('keeps limit within 1–1000', () => {
    expect(parseLimit('1000')).toBe(1000);
    expect(reason(() => parseLimit('1001'))).toMatch(/^limit:/);
    expect(reason(() => parseLimit('1e3'))).toMatch(/^limit:/);
  });

  it('refuses a repeated or structured parameter by name', () => {
    expect(() => requireSingleQueryValues({ after: '1/1', limit: '5' })).not.toThrow();
    expect(reason(() => requireSingleQueryValues({ type: ['a', 'b'] }))).toBe('type: is given 2 times; give it once (several types separated by commas)');
    expect(reason(() => requireSingleQueryValues({ asAt: { x: '1' } } as never))).toBe('asAt: must be a single plain value');
  });
});
