import { DomainError } from './domain-error';
import { parseStrictJson } from './strict-json';
import { refusalOf } from '../../test/support/refusal';

/**
 * One example per rule of the strict JSON reader, asserting the whole refusal a client sees: the
 * code, the field (or the document's name and the character where reading stopped) and the reason.
 */
const parse = (text: string, root = 'body', maxDepth?: number) => parseStrictJson(text, { root, maxDepth });

function refusal(text: string, root = 'body', maxDepth?: number): DomainError {
  return refusalOf(() => parse(text, root, maxDepth), `accepted ${JSON.stringify(text)}`);
}

function seen(text: string, root = 'body'): { code: string; kind: string; message: string; errors: readonly { field: string; reason: string }[] } {
  const error = refusal(text, root);
  return { code: error.code, kind: error.kind, message: error.message, errors: error.errors };
}

function syntax(reason: string, root = 'body') {
  return { code: 'invalid_json', kind: 'invalid', message: `${root}: ${reason}`, errors: [{ field: root, reason }] };
}

const CONTROL = (code: string) => `contains the control character U+${code}; text may hold tabs and line breaks but no other control characters`;

describe('strict JSON: escape sequences', () => {
  it.each([
    ['\\"', 'a"b'],
    ['\\\\', 'a\\b'],
    ['\\/', 'a/b'],
    ['\\n', 'a\nb'],
    ['\\t', 'a\tb'],
    ['\\u00e9', 'aéb'],
    ['\\u00E9', 'aéb'],
    ['\\u20AC', 'a€b'],
    ['\\uFFFD', 'a\uFFFDb'],
    ['\\ud83d\\ude00', 'a😀b'],
  ])('reads %s between other characters', (escape, expected) => {
    expect(parse(`{"s":"a${escape}b"}`)).toEqual({ s: expected });
  });

  it('reads text before, between and after several escapes, spaces included', () => {
    expect(parse('{"s":"one two\\"three four\\\\five six\\/ seven"}')).toEqual({ s: 'one two"three four\\five six/ seven' });
    expect(parse('["\\"", "\\\\", "\\/", " \\n ", "\\t"]')).toEqual(['"', '\\', '/', ' \n ', '\t']);
  });

  it('reads an escape as the last character of a key', () => {
    expect(parse('{"a\\/":1, "b\\"": 2}')).toEqual({ 'a/': 1, 'b"': 2 });
  });

  it.each([
    ['\\b', '0008'],
    ['\\f', '000C'],
    ['\\r', '000D'],
    ['\\u0001', '0001'],
    ['\\u001f', '001F'],
    ['\\u007F', '007F'],
  ])('decodes %s, then refuses it as a control character in text', (escape, code) => {
    expect(seen(`{"name":"a${escape}b"}`)).toEqual({
      code: 'invalid_text',
      kind: 'invalid',
      message: `name: ${CONTROL(code)}`,
      errors: [{ field: 'name', reason: CONTROL(code) }],
    });
  });

  it('refuses an escape JSON does not have, at the backslash', () => {
    expect(seen('{"a":"xy\\q"}')).toEqual(syntax('is not valid JSON: not a JSON escape sequence at character 9'));
    expect(seen('["\\x"]')).toEqual(syntax('is not valid JSON: not a JSON escape sequence at character 3'));
  });

  it.each([
    ['three hex digits', '["\\u12"]'],
    ['a letter beyond f', '["\\u12g4"]'],
    ['a non-hex first digit', '["\\uz123"]'],
    ['a sign', '["\\u-123"]'],
    ['the text ending', '["\\u00'],
  ])('refuses \\u followed by %s, at the backslash', (_, text) => {
    expect(seen(text)).toEqual(syntax('is not valid JSON: \\u must be followed by four hex digits at character 3'));
  });

  it('reads only four hex digits after \\u', () => {
    expect(parse('["\\u00411"]')).toEqual(['A1']);
  });
});

describe('strict JSON: control characters and unclosed strings', () => {
  it.each([
    ['before any escape', '{"a":"x\u0001"}', 8],
    ['after an escape', '{"a":"\\n\u001f"}', 9],
    ['at the very start', '["\u0000"]', 3],
    ['a raw line feed', '["a\nb"]', 4],
    ['a raw tab', '["\t"]', 3],
  ])('refuses a raw control character inside a string %s, at that character', (_, text, at) => {
    expect(seen(text)).toEqual(syntax(`is not valid JSON: a control character inside a string must be escaped at character ${at}`));
  });

  it('accepts a space and every character from U+0020 up in a string, before and after an escape', () => {
    expect(parse('[" !~", "\\n !~"]')).toEqual([' !~', '\n !~']);
  });

  it.each([
    ['with no escape', '["abc', 6],
    ['after an escape', '["a\\nb', 7],
    ['right after the quote', '["', 3],
    ['as a key', '{"ab', 5],
  ])('refuses a string that is not closed %s, at the end of the text', (_, text, at) => {
    expect(seen(text)).toEqual(syntax(`is not valid JSON: a string is not closed at character ${at}`));
  });
});

describe('strict JSON: values, whitespace and positions', () => {
  it('reads every kind of value', () => {
    expect(parse('[0, 9, -1, 10, 1.5, -0.25, 2e3, 2E-1, true, false, null, "", {}, []]')).toEqual([0, 9, -1, 10, 1.5, -0.25, 2000, 0.2, true, false, null, '', {}, []]);
    expect(parse('0')).toBe(0);
    expect(parse('9')).toBe(9);
    expect(parse('-7')).toBe(-7);
    expect(parse('true')).toBe(true);
    expect(parse('false')).toBe(false);
    expect(parse('null')).toBeNull();
    expect(parse('"x"')).toBe('x');
  });

  it('skips spaces, tabs, line feeds and carriage returns around every token', () => {
    for (const space of [' ', '\t', '\n', '\r', ' \r\n\t ']) {
      const text = `${space}{${space}"a"${space}:${space}[${space}1${space},${space}2${space}]${space},${space}"b"${space}:${space}{${space}}${space},${space}"c"${space}:${space}[${space}]${space}}${space}`;
      expect(parse(text)).toEqual({ a: [1, 2], b: {}, c: [] });
    }
  });

  it('does not skip other whitespace', () => {
    expect(seen('\u00a0{}')).toEqual(syntax('is not valid JSON: a value was expected at character 1'));
    expect(seen('{}\u000b')).toEqual(syntax('is not valid JSON: unexpected text after the JSON value at character 3'));
  });

  it.each([
    ['a minus with no digits', '[-]', 'not a JSON number at character 2'],
    ['a minus before a letter', '{"a": -x}', 'not a JSON number at character 7'],
    ['text after the value', '{"a":1} x', 'unexpected text after the JSON value at character 9'],
    ['a second value', '1 2', 'unexpected text after the JSON value at character 3'],
    ['an empty document', '', 'it ends where a value was expected at character 1'],
    ['only whitespace', '  \n', 'it ends where a value was expected at character 4'],
    ['a document ending after ":"', '{"a":', 'it ends where a value was expected at character 6'],
    ['a document ending inside an array', '[1,', 'it ends where a value was expected at character 4'],
    ['a bare word', '[yes]', 'a value was expected at character 2'],
    ['a misspelt literal', '[ nul ]', 'a value was expected at character 3'],
    ['a key without quotes', '{a:1}', 'a field name in double quotes was expected at character 2'],
    ['a number as a key', '{"a":1, 2:3}', 'a field name in double quotes was expected at character 9'],
    ['a missing colon', '{"a" 1}', '":" was expected after a field name at character 6'],
    ['an equals sign for a colon', '{"a"=1}', '":" was expected after a field name at character 5'],
    ['a missing comma between fields', '{"a":1 "b":2}', '"," or "}" was expected at character 8'],
    ['a closing bracket for a brace', '{"a":1]', '"," or "}" was expected at character 7'],
    ['a missing comma between items', '[1 2]', '"," or "]" was expected at character 4'],
    ['a closing brace for a bracket', '[1}', '"," or "]" was expected at character 3'],
    ['an unclosed array', '[1', '"," or "]" was expected at character 3'],
    ['a trailing comma in an array', '[1,]', 'a value was expected at character 4'],
    ['a leading plus', '[+1]', 'a value was expected at character 2'],
    ['a leading point', '{"a":.5}', 'a value was expected at character 6'],
    ['a missing item', '[,1]', 'a value was expected at character 2'],
  ])('refuses %s, naming the character', (_, text, reason) => {
    expect(seen(text)).toEqual(syntax(`is not valid JSON: ${reason}`));
  });

  it('names the document as the caller asks', () => {
    expect(seen('{', 'line')).toEqual(syntax('is not valid JSON: a field name in double quotes was expected at character 2', 'line'));
    const deep = refusal('[[[1]]]', 'line', 2);
    expect({ code: deep.code, errors: deep.errors }).toEqual({ code: 'invalid_json', errors: [{ field: 'line', reason: 'nests objects and arrays deeper than 2 levels' }] });
  });

  it('bounds nesting at the depth the caller gives, objects and arrays alike', () => {
    expect(parse('[[1]]', 'body', 2)).toEqual([[1]]);
    expect(parse('{"a":{"b":1}}', 'body', 2)).toEqual({ a: { b: 1 } });
    expect(refusal('[[[1]]]', 'body', 2).errors).toEqual([{ field: 'body', reason: 'nests objects and arrays deeper than 2 levels' }]);
    expect(refusal('{"a":{"b":{}}}', 'body', 2).errors).toEqual([{ field: 'body', reason: 'nests objects and arrays deeper than 2 levels' }]);
    expect(refusal('{"a":[{}]}', 'body', 2).errors).toEqual([{ field: 'body', reason: 'nests objects and arrays deeper than 2 levels' }]);
  });

  it('counts nesting by depth, not by how many objects and arrays there are', () => {
    expect(parse('[[1],[2],{"a":[3]}]', 'body', 3)).toEqual([[1], [2], { a: [3] }]);
    expect(parse('{"a":[1],"b":{"c":2}}', 'body', 2)).toEqual({ a: [1], b: { c: 2 } });
  });
});

describe('strict JSON: field names in refusals', () => {
  const REPEATED = 'appears more than once in the same object; send each field once';

  it.each([
    ['a top-level field', '{"a":1,"name":"x\\u0001"}', 'name'],
    ['a field after a nested object', '{"a":{"b":1},"name":"\\u0001"}', 'name'],
    ['a field inside a list inside an object', '{"data":{"lines":[{"n":"ok"},{"n":"\\u0001"}]}}', 'data.lines[1].n'],
    ['an item of a top-level list', '["ok","\\u0001"]', '[1]'],
    ['a field of an item of a top-level list', '[{"a":"ok"},{"a":"\\u0001"}]', '[1].a'],
    ['an item of a list of lists', '{"m":[[],["x","\\u0001"]]}', 'm[1][1]'],
    ['a field after a list', '{"l":[1,2],"name":"\\u0001"}', 'name'],
  ])('names %s', (_, text, field) => {
    expect(seen(text)).toEqual({ code: 'invalid_text', kind: 'invalid', message: `${field}: ${CONTROL('0001')}`, errors: [{ field, reason: CONTROL('0001') }] });
  });

  it('names a repeated key where it is, and only once', () => {
    expect(seen('{"a":{"b":1},"a":2}')).toEqual({ code: 'invalid_json', kind: 'invalid', message: `a: ${REPEATED}`, errors: [{ field: 'a', reason: REPEATED }] });
    expect(seen('[{"x":1},{"y":1,"y":2}]').errors).toEqual([{ field: '[1].y', reason: REPEATED }]);
  });

  it('refuses a reserved name wherever it is, with its whole reason', () => {
    const reason = 'is a reserved name and cannot be a field';
    expect(seen('{"__proto__":{}}')).toEqual({ code: 'invalid_json', kind: 'invalid', message: `__proto__: ${reason}`, errors: [{ field: '__proto__', reason }] });
    expect(seen('[{"prototype":1}]').errors).toEqual([{ field: '[0].prototype', reason }]);
  });

  it('refuses a field name holding what text may not hold, naming it', () => {
    expect(seen('{"ok":1,"a\\u202eb":1}')).toEqual({
      code: 'invalid_text',
      kind: 'invalid',
      message: 'a\u202eb: field name contains the bidirectional control U+202E, which makes text display differently from how it is stored',
      errors: [{ field: 'a\u202eb', reason: 'field name contains the bidirectional control U+202E, which makes text display differently from how it is stored' }],
    });
  });

  it('accepts the same key in different objects, and keys that only look reserved', () => {
    expect(parse('{"a":{"id":1},"b":{"id":2},"proto":1,"Constructor":2,"__proto":3}')).toEqual({ a: { id: 1 }, b: { id: 2 }, proto: 1, Constructor: 2, __proto: 3 });
  });
});
