import { textProblem } from './text';

/** What the write side refuses in text, named by kind, at the edges of each range. */
describe('text the read side cannot show faithfully', () => {
  it('accepts tabs, line feeds and ordinary characters, surrogate pairs included', () => {
    expect(textProblem('a\tb\nc é 😀 \u2029 \u206A')).toBeUndefined();
  });

  it.each([
    ['\u0000', 'U+0000'],
    ['\u0008', 'U+0008'],
    ['\u000B', 'U+000B'],
    ['\u001F', 'U+001F'],
    ['\u007F', 'U+007F'],
    ['\u009F', 'U+009F'],
  ])('names a control character %#: %s', (text, name) => {
    expect(textProblem(`a${text}b`)).toBe(`contains the control character ${name}; text may hold tabs and line breaks but no other control characters`);
  });

  it.each([
    ['\u202A', 'U+202A'],
    ['\u202E', 'U+202E'],
    ['\u2066', 'U+2066'],
    ['\u2069', 'U+2069'],
  ])('names a bidirectional control %#: %s', (text, name) => {
    expect(textProblem(`a${text}b`)).toBe(`contains the bidirectional control ${name}, which makes text display differently from how it is stored`);
  });

  it.each([
    ['\uD800', 'U+D800'],
    ['\uDBFF', 'U+DBFF'],
    ['\uDC00', 'U+DC00'],
    ['\uDFFF', 'U+DFFF'],
  ])('names an unpaired surrogate %#: %s', (text, name) => {
    expect(textProblem(`a${text}b`)).toBe(`contains an unpaired surrogate (${name}), which is not a character`);
  });
});
