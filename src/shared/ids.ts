/** Ids that appear in stream names: no dots, so stream prefixes stay unambiguous. */
export const LEDGER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Ids of entries inside a stream (cost lines, compensation events, incidents). */
export const ENTRY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;

export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string' || !ISO_DATE_PATTERN.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
