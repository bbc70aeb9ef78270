/**
 * Keeps what a read-model query answered, under the read-model version it was read at: while the
 * version stays the same the rows are the same (ReadModelVersions), so the answer is too. Read the
 * version before the rows: an answer then never claims a version newer than it is. Least recently
 * used entries go first beyond `capacity`.
 */
export class VersionedCache<Value> {
  private readonly entries = new Map<string, { version: string; value: Promise<Value> }>();

  constructor(private readonly capacity = 2000) {}

  get(key: string, version: string | null, read: () => Promise<Value>): Promise<Value> {
    if (version === null) return read();
    const entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    if (entry?.version === version) {
      this.entries.set(key, entry);
      return entry.value;
    }
    const value = read();
    const fresh = { version, value };
    this.entries.set(key, fresh);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    // A failed read (not found, a database fault) is not kept.
    value.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    return value;
  }
}
