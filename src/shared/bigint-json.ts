/** JSON that keeps bigints exact, tagged as `{"$bigint":"123"}` so no other value can be mistaken for one. */
export function stringifyWithBigints(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? { $bigint: item.toString() } : item));
}

export function parseWithBigints<T>(text: string): T {
  return JSON.parse(text, (_key, item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) && typeof item.$bigint === 'string' && Object.keys(item).length === 1
      ? BigInt(item.$bigint)
      : item,
  ) as T;
}
