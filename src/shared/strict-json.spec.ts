import fc from 'fast-check';
import { DomainError } from './domain-error';
import { MAX_JSON_DEPTH, parseStrictJson } from './strict-json';
import { textProblem } from './text';
import { refusalOf } from '../../test/support/refusal';

const parse = (text: string) => parseStrictJson(text, { root: 'body' });

function refusal(text: string): { code: string; field: string; reason: string } {
  const error = refusalOf(() => parse(text), `accepted ${text}`);
  return { code: error.code, field: error.errors[0].field, reason: error.errors[0].reason };
}

function hasForbiddenText(value: unknown): boolean {
  if (typeof value === 'string') return textProblem(value) !== undefined;
  if (Array.isArray(value)) return value.some(hasForbiddenText);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => ['__proto__', 'constructor', 'prototype'].includes(key) || hasForbiddenText(key) || hasForbiddenText(item));
  }
  return false;
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

describe('strict JSON', () => {
  it('reads what JSON.parse reads, unless it holds text or keys the ledger refuses', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        if (hasForbiddenText(value) || depthOf(value) > MAX_JSON_DEPTH) expect(() => parse(text)).toThrow(DomainError);
        else expect(parse(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but a refusal on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        let accepted = true;
        try {
          parse(text);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          accepted = false;
        }
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        if (accepted) expect(native).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps escapes, numbers and whitespace as JSON defines them', () => {
    expect(parse(' {"a" : [1, -2.5e3, 0.25, true, false, null], "b": "tab\\tline\\nquote\\"\\u00e9\\ud83d\\ude00"}\r\n')).toEqual({
      a: [1, -2500, 0.25, true, false, null],
      b: 'tab\tline\nquote"é😀',
    });
  });

  it.each([
    ['a repeated key, naming it', '{"amount":"1.00","amount":"2.00"}', 'invalid_json', 'amount', /more than once/],
    ['a repeated nested key', '{"data":{"partners":[{"id":"a","id":"b"}]}}', 'invalid_json', 'data.partners[0].id', /more than once/],
    ['__proto__', '{"data":{"__proto__":{"admin":true}}}', 'invalid_json', 'data.__proto__', /reserved name/],
    ['constructor', '{"constructor":{}}', 'invalid_json', 'constructor', /reserved name/],
    ['prototype', '{"a":[{"prototype":1}]}', 'invalid_json', 'a[0].prototype', /reserved name/],
    ['an escaped NUL', '{"name":"a\\u0000b"}', 'invalid_text', 'name', /control character U\+0000/],
    ['an escaped carriage return', '{"name":"a\\rb"}', 'invalid_text', 'name', /U\+000D/],
    ['DEL', '{"name":"a\u007fb"}', 'invalid_text', 'name', /U\+007F/],
    ['a C1 control', '{"name":"a\u0085b"}', 'invalid_text', 'name', /U\+0085/],
    ['a lone high surrogate', '{"name":"\\ud800"}', 'invalid_text', 'name', /unpaired surrogate \(U\+D800\)/],
    ['a lone low surrogate', '{"name":"x\\udc00y"}', 'invalid_text', 'name', /unpaired surrogate \(U\+DC00\)/],
    ['a right-to-left override', '{"reason":"abc\u202Edef"}', 'invalid_text', 'reason', /bidirectional control U\+202E/],
    ['a first-strong isolate', '{"reason":"\u2068x"}', 'invalid_text', 'reason', /U\+2068/],
    ['a control character in a key', '{"a\\u0001":1}', 'invalid_text', 'a\u0001', /field name contains/],
    ['a raw control character', '{"a":"x\u0001"}', 'invalid_json', 'body', /control character inside a string must be escaped at character 8/],
    ['a trailing comma', '{"a":1,}', 'invalid_json', 'body', /field name in double quotes was expected at character 8/],
    ['an unclosed object', '{"a":1', 'invalid_json', 'body', /"," or "}" was expected at character 7/],
    ['an unclosed string', '{"a":"x', 'invalid_json', 'body', /string is not closed/],
    ['a leading zero', '{"a":01}', 'invalid_json', 'body', /"," or "}" was expected/],
    ['a bad escape', '{"a":"\\x"}', 'invalid_json', 'body', /not a JSON escape/],
    ['a short \\u escape', '{"a":"\\u12"}', 'invalid_json', 'body', /four hex digits/],
    ['two values', '{} {}', 'invalid_json', 'body', /unexpected text after/],
    ['nothing', '', 'invalid_json', 'body', /ends where a value was expected/],
    ['single quotes', "{'a':1}", 'invalid_json', 'body', /double quotes/],
    ['NaN', '{"a":NaN}', 'invalid_json', 'body', /a value was expected/],
  ])('refuses %s', (_, text, code, field, reason) => {
    expect(refusal(text)).toEqual({ code, field, reason: expect.stringMatching(reason) });
  });

  it.each([
    ['a missing colon', '{"a" 1}', '":" was expected after a field name at character 6'],
    ['a missing comma in an array', '[1 2]', '"," or "]" was expected at character 4'],
    ['a dangling comma in an array', '[1,]', 'a value was expected at character 4'],
    ['a document that stops after a comma', '[1,', 'it ends where a value was expected at character 4'],
    ['a plus sign', '[+1]', 'a value was expected at character 2'],
    ['a minus sign alone', '[-x]', 'not a JSON number at character 2'],
    ['a bad \\u escape, at its backslash', '["ab\\uzzzz"]', '\\u must be followed by four hex digits at character 5'],
    ['an unknown escape, at its backslash', '["ab\\q"]', 'not a JSON escape sequence at character 5'],
    ['a raw tab after an escape', '["\\n\t"]', 'a control character inside a string must be escaped at character 5'],
  ])('says where and why it refuses %s', (_, text, why) => {
    expect(refusal(text)).toEqual({ code: 'invalid_json', field: 'body', reason: `is not valid JSON: ${why}` });
  });

  it('reads the escapes of "/", backspace and form feed (the last two are then refused as control characters)', () => {
    expect(parse('"a\\/b"')).toBe('a/b');
    expect(refusal('{"a":"\\b"}')).toEqual({ code: 'invalid_text', field: 'a', reason: expect.stringMatching(/control character U\+0008/) });
    expect(refusal('{"a":"\\f"}')).toEqual({ code: 'invalid_text', field: 'a', reason: expect.stringMatching(/control character U\+000C/) });
  });

  it('skips tabs between tokens, and names the field in a refusal’s message', () => {
    expect(parse('{\t"a"\t:\t[1,\t2]\t}')).toEqual({ a: [1, 2] });
    try {
      parse('{"data":{"name":"a\u202eb"}}');
      throw new Error('accepted');
    } catch (error) {
      expect(error).toMatchObject({ kind: 'invalid', message: 'data.name: contains the bidirectional control U+202E, which makes text display differently from how it is stored' });
    }
  });

  it('allows tabs, line breaks and paired surrogates in text, and bidi marks that are not overrides', () => {
    expect(parse('{"a":"x\\ty\\nz 😀 \u200F"}')).toEqual({ a: 'x\ty\nz 😀 \u200F' });
  });

  it(`bounds nesting at ${MAX_JSON_DEPTH} levels, without running out of stack at 10,000`, () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(parse(nested(MAX_JSON_DEPTH))).toBeDefined();
    expect(refusal(nested(MAX_JSON_DEPTH + 1))).toEqual({ code: 'invalid_json', field: 'body', reason: expect.stringMatching(/deeper than 32 levels/) });
    expect(refusal('{"a":'.repeat(10000) + '1' + '}'.repeat(10000)).reason).toMatch(/deeper than/);
  });

  it('builds ordinary objects: a refused key cannot reach a prototype', () => {
    const value = parse('{"a":{"b":1}}') as Record<string, Record<string, number>>;
    expect(Object.getPrototypeOf(value.a)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).b).toBeUndefined();
  });
});
