import { parseWithBigints, stringifyWithBigints } from './bigint-json';
import { canonicalJson, sameJson } from './canonical-json';
import { conflict, DomainError, forbidden, invalid, invalidFields, isDomainError, notFound, tooLarge, unsupportedMediaType } from './domain-error';
import { ENTRY_ID_PATTERN, isIsoDate, LEDGER_ID_PATTERN } from './ids';
import { assertNever } from './decider';
import { allianceOfStream, streamNames } from './stream-names';

/** Examples for the small helpers every area leans on: ids, stream names, canonical JSON, refusals. */
describe('stream names', () => {
  it('names every stream of an alliance under ledger.{allianceId}.', () => {
    expect(Object.entries(streamNames).map(([kind, name]) => [kind, (name as (a: string, b: string) => string)('sma', 'A')])).toEqual([
      ['alliance', 'ledger.sma.alliance'],
      ['periods', 'ledger.sma.periods'],
      ['scheme', 'ledger.sma.scheme.A'],
      ['safety', 'ledger.sma.safety'],
      ['measurements', 'ledger.sma.measurements'],
      ['access', 'ledger.sma.access'],
      ['statements', 'ledger.sma.statements'],
      ['alliancePrefix', 'ledger.sma.'],
    ]);
  });

  it('finds the alliance of a ledger stream, and none for another application or a bare prefix', () => {
    expect(allianceOfStream('ledger.sma.scheme.A')).toBe('sma');
    expect(allianceOfStream('ledger.x.alliance')).toBe('x');
    expect(allianceOfStream('orders.sma.alliance')).toBeUndefined();
    expect(allianceOfStream('ledger..alliance')).toBeUndefined();
    expect(allianceOfStream('ledger.sma')).toBeUndefined();
    expect(allianceOfStream('xledger.sma.alliance')).toBeUndefined();
  });
});

describe('ids and dates', () => {
  it('takes ids without dots for stream names, up to 64 characters', () => {
    expect(LEDGER_ID_PATTERN.test('a')).toBe(true);
    expect(LEDGER_ID_PATTERN.test('A-1_b')).toBe(true);
    expect(LEDGER_ID_PATTERN.test('a'.repeat(64))).toBe(true);
    expect(LEDGER_ID_PATTERN.test('a'.repeat(65))).toBe(false);
    expect(LEDGER_ID_PATTERN.test('a.b')).toBe(false);
    expect(LEDGER_ID_PATTERN.test('-a')).toBe(false);
    expect(LEDGER_ID_PATTERN.test('')).toBe(false);
  });

  it('takes entry ids with dots, colons and slashes, up to 128 characters', () => {
    expect(ENTRY_ID_PATTERN.test('CE-7.1:a/b')).toBe(true);
    expect(ENTRY_ID_PATTERN.test('a'.repeat(128))).toBe(true);
    expect(ENTRY_ID_PATTERN.test('a'.repeat(129))).toBe(false);
    expect(ENTRY_ID_PATTERN.test('.a')).toBe(false);
    expect(ENTRY_ID_PATTERN.test('a b')).toBe(false);
  });

  it('takes real calendar dates only', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate(' 2026-01-01')).toBe(false);
    expect(isIsoDate('2026-01-01x')).toBe(false);
    expect(isIsoDate(20260101)).toBe(false);
    // An array holding a date reads as that date when made text: only a string is a date.
    expect(isIsoDate(['2026-01-01'])).toBe(false);
    // Prefixes of a date that Date itself reads as the first of a month or year.
    expect(isIsoDate('2026-01')).toBe(false);
    expect(isIsoDate('2026')).toBe(false);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined members and writes undefined items as null', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined, { f: 2, e: null }], c: undefined } })).toBe('{"a":{"d":[1,null,{"e":null,"f":2}]},"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('compares values ignoring key order, and nothing else', () => {
    expect(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: [1, 2] }, { a: 1, b: [2, 1] })).toBe(false);
    expect(sameJson({ a: '1' }, { a: 1 })).toBe(false);
  });
});

describe('JSON with bigints', () => {
  it('keeps bigints exact through text, and leaves look-alikes alone', () => {
    const text = stringifyWithBigints({ pence: 12345678901234567890n, list: [1n], other: 1 });
    expect(text).toBe('{"pence":{"$bigint":"12345678901234567890"},"list":[{"$bigint":"1"}],"other":1}');
    expect(parseWithBigints(text)).toEqual({ pence: 12345678901234567890n, list: [1n], other: 1 });
    expect(parseWithBigints('{"a":{"$bigint":"1","b":2},"c":{"$bigint":1},"d":[{"$bigint":"2"}],"e":null}')).toEqual({ a: { $bigint: '1', b: 2 }, c: { $bigint: 1 }, d: [2n], e: null });
    expect(parseWithBigints('[{"$bigint":"3"}]')).toEqual([3n]);
  });
});

describe('refusals', () => {
  it('carry a stable code, a kind, a message naming the field, and the field errors', () => {
    const cases: Array<[DomainError, string, string]> = [
      [invalid('amount', 'must be positive'), 'invalid_command', 'invalid'],
      [invalid('amount', 'must be positive', 'amount_invalid'), 'amount_invalid', 'invalid'],
      [tooLarge('body_too_large', 'body', 'must be positive'), 'body_too_large', 'too-large'],
      [unsupportedMediaType('media', 'body', 'must be positive'), 'media', 'unsupported-media-type'],
      [notFound('gone', 'amount', 'must be positive'), 'gone', 'not-found'],
      [conflict('clash', 'amount', 'must be positive'), 'clash', 'conflict'],
      [forbidden('four_eyes', 'amount', 'must be positive'), 'four_eyes', 'forbidden'],
    ];
    for (const [error, code, kind] of cases) {
      expect(error).toBeInstanceOf(Error);
      expect(isDomainError(error)).toBe(true);
      expect({ name: error.name, code: error.code, kind: error.kind, message: error.message }).toEqual({ name: 'DomainError', code, kind, message: `${error.errors[0].field}: must be positive` });
      expect(error.toJSON()).toEqual({ code, message: error.message, errors: [{ field: error.errors[0].field, reason: 'must be positive' }] });
    }
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(new DomainError('c', 'stale', 'm').errors).toEqual([]);
  });

  it('lists several fields in one message', () => {
    const error = invalidFields([
      { field: 'a', reason: 'is missing' },
      { field: 'b', reason: 'is too long' },
    ]);
    expect({ code: error.code, kind: error.kind, message: error.message }).toEqual({ code: 'invalid_command', kind: 'invalid', message: 'a: is missing; b: is too long' });
    expect(invalidFields([], 'other').code).toBe('other');
  });
});

describe('deciders', () => {
  it('throw on a case a switch did not handle, naming it', () => {
    expect(() => assertNever({ type: 'Unheard' } as never)).toThrow(new Error('Unhandled case: {"type":"Unheard"}'));
  });
});
