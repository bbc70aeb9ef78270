/** Object keys seen before, already quoted: the same few dozen names recur in every event. */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_KEPT = 4096;

function quoted(key: string): string {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_KEPT) quotedKeys.set(key, text);
  }
  return text;
}

/**
 * JSON with object keys sorted, so equal values always serialize to equal text (for digests and ids).
 * Otherwise as JSON.stringify writes it, so a value and its JSON text parsed back have the same
 * canonical text: an event's digest can be taken from the value it was appended with. That holds
 * for what events hold (plain JSON values, Dates, undefined members); not for boxed primitives
 * (`new String`), nor a toJSON that reads its key or returns undefined, which no event carries.
 * Written for speed, since every appended event is digested: keys already in order are not sorted
 * again, and the text is built by concatenation rather than arrays of parts.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // As JSON.stringify does, so that a value and its JSON text read back give the same text (a Date, say).
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    // An undefined item is written as null, as JSON.stringify writes it (by the first line, for the item itself).
    let text = '[';
    for (let index = 0; index < value.length; index += 1) text += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let index = 1; index < keys.length; index += 1) {
    if (keys[index - 1] > keys[index]) {
      keys.sort();
      break;
    }
  }
  let text = '{';
  for (const key of keys) {
    const item = record[key];
    // Left out, as JSON.stringify leaves them out of an object.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    text += `${text.length === 1 ? '' : ','}${quoted(key)}:${canonicalJson(item)}`;
  }
  return `${text}}`;
}

/** Deep equality of plain JSON values, ignoring key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
