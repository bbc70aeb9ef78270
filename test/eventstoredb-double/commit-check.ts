/** An append's expected revision as it arrives on the wire. */
export type Expected = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

/** What the server decides about an append: write it, acknowledge it as already written (events `first`…`last` of the stream), or refuse it. */
export type CommitDecision = { kind: 'ok' } | { kind: 'idempotent'; first: number; last: number } | { kind: 'wrong_expected_version' };

/**
 * EventStoreDB's decision on an append, after `IndexWriter.CheckCommit` in EventStore/EventStore
 * (src/EventStore.Core/Services/Storage/ReaderIndex/IndexWriter.cs) and the documented
 * "Optimistic concurrency & idempotence" rules:
 *
 * - `any` / `stream_exists`: the batch's ids are looked up in this stream in order. The first one
 *   unknown: a new append, written. All known: a retry, acknowledged. Known, then unknown:
 *   "CorruptedIdempotency", which the storage writer answers as WrongExpectedVersion.
 * - a revision (or `no_stream`, -1) below the current one: the ids are compared with the events
 *   from that revision + 1 on. All equal: a retry. Any different: WrongExpectedVersion.
 * - a revision above the current one: WrongExpectedVersion; equal to it: written, ids unchecked.
 *
 * The server looks ids up in a bounded cache, so with `any` idempotence is best effort there; the
 * double keeps every id.
 */
export function checkCommit(streamIds: readonly string[], expected: Expected, ids: readonly string[]): CommitDecision {
  const current = streamIds.length - 1;
  if (expected.kind === 'stream_exists' && current < 0) return { kind: 'wrong_expected_version' };
  if (expected.kind === 'any' || expected.kind === 'stream_exists') {
    let first = -1;
    let last = -1;
    for (const [index, id] of ids.entries()) {
      const at = streamIds.lastIndexOf(id);
      if (at < 0) return index === 0 ? { kind: 'ok' } : { kind: 'wrong_expected_version' };
      if (index === 0) first = at;
      last = at;
    }
    return ids.length === 0 ? { kind: 'ok' } : { kind: 'idempotent', first, last };
  }
  const expectedRevision = expected.kind === 'no_stream' ? -1 : Number(expected.revision);
  if (expectedRevision < current) {
    let at = expectedRevision;
    for (const id of ids) {
      at += 1;
      if (streamIds[at] !== id) return { kind: 'wrong_expected_version' };
    }
    return at === expectedRevision ? { kind: 'wrong_expected_version' } : { kind: 'idempotent', first: expectedRevision + 1, last: at };
  }
  if (expectedRevision > current) return { kind: 'wrong_expected_version' };
  return { kind: 'ok' };
}
