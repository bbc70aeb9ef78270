import fc from 'fast-check';
import { canonicalJson, sameJson } from './canonical-json';

/**
 * The plain definition, written as simply as it can be: every object's keys sorted, each part
 * written by JSON.stringify. (Not Object.fromEntries and one JSON.stringify: an object puts
 * integer-like keys first whatever order they were added in.)
 */
function sortedThenStringified(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => sortedThenStringified(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${sortedThenStringified(record[key])}`);
  return `{${parts.join(',')}}`;
}

describe('canonicalJson', () => {
  it('writes keys in code-unit order at every depth, without whitespace', () => {
    expect(canonicalJson({ '0': false, '': 0, '10': 1, '9': 2 })).toBe('{"":0,"0":false,"10":1,"9":2}');
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, B: 'upper' })).toBe('{"B":"upper","a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('leaves out undefined properties and writes undefined array items as null, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('escapes keys and strings as JSON.stringify does', () => {
    expect(canonicalJson({ 'quote"d': 'line\nbreak', '\u2028': '\u0000' })).toBe(JSON.stringify({ 'quote"d': 'line\nbreak', '\u2028': '\u0000' }));
  });

  it('does not depend on the order the keys were written in', () => {
    expect(canonicalJson({ amount: '1.00', costId: 'A-1' })).toBe(canonicalJson({ costId: 'A-1', amount: '1.00' }));
    expect(sameJson({ x: [1, { p: 1, q: 2 }] }, { x: [1, { q: 2, p: 1 }] })).toBe(true);
    expect(sameJson({ x: [1, 2] }, { x: [2, 1] })).toBe(false);
  });

  it('agrees with sorting the keys and calling JSON.stringify, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(sortedThenStringified(value));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees for objects with undefined members and keys out of order', () => {
    const member = fc.oneof(fc.constant(undefined), fc.string(), fc.integer(), fc.constant(null));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(member, fc.array(member), fc.dictionary(fc.string(), member))), (value) => {
        expect(canonicalJson(value)).toBe(sortedThenStringified(value));
      }),
      { numRuns: 500 },
    );
  });

  it('gives a value and its JSON text read back the same text, so a digest can be taken from either', () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date({ noInvalidDate: true }), fc.constant(() => 1));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node')), fc.dictionary(fc.string(), tie('node'))),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value), (record) => {
        expect(canonicalJson(record)).toBe(canonicalJson(JSON.parse(JSON.stringify(record))));
      }),
      { numRuns: 1000 },
    );
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05Z'), skip: () => 1, list: [() => 1] })).toBe('{"at":"2026-01-02T03:04:05.000Z","list":[null]}');
  });
});
