/**
 * What the read side cannot show faithfully, the write side refuses: control characters other
 * than tab and line feed (C0, DEL, C1), UTF-16 surrogates without their pair, and the Unicode
 * bidirectional overrides and isolates that make text display differently from how it is stored.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function textProblem(text: string): string | undefined {
  const match = FORBIDDEN.exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code >= 0xd800 && code <= 0xdfff) return `contains an unpaired surrogate (${name}), which is not a character`;
  if (code >= 0x202a) return `contains the bidirectional control ${name}, which makes text display differently from how it is stored`;
  return `contains the control character ${name}; text may hold tabs and line breaks but no other control characters`;
}
