import { PeriodClosed } from '../periods/domain/periods.events';
import { DigestRecord } from '../event-store/embedded/digest-table';
import { SignatureCheck, checkCertificateSignature } from './certificate-signing';
import { eventLeafHash, naturalIdOf } from './event-leaf';
import { leafHash, MerkleFrontier, TREE_ALGORITHM } from './merkle';
import { ReadEvent } from './alliance-events';
import { SigningKeys } from './signing-keys';

export type BreakKind = 'altered' | 'missing' | 'unrecorded' | 'unreadable' | 'certificate_mismatch';

/** The first place the stored history stops matching what was recorded or certified. */
export interface HistoryBreak {
  problem: BreakKind;
  /** The event's place in the alliance's tree (0-based). */
  index: number;
  position: string | null;
  streamName: string | null;
  revision: string | null;
  type: string | null;
  naturalId: string | null;
  eventId: string | null;
  detail: string;
}

export interface CertificateVerification {
  periodId: string;
  certifiedAt: string;
  treeSize: number | null;
  root: string | null;
  recomputedRoot: string | null;
  /** null for a certificate from before the ledger digest was recorded. */
  rootMatches: boolean | null;
  signature: SignatureCheck;
  /** Its digest covers the first break, or does not match, or its signature does not verify. */
  affected: boolean;
}

export interface AllianceVerification {
  allianceId: string;
  ok: boolean;
  algorithm: typeof TREE_ALGORITHM;
  treeSize: number;
  root: string;
  position: string | null;
  /** Null where the store keeps no per-event digests (EventStoreDB); certificates are then the reference. */
  recordedDigests: { checked: number; recordedSince: string } | null;
  firstBreak: HistoryBreak | null;
  certificates: CertificateVerification[];
  affectedCertificates: string[];
}

/**
 * Recomputes an alliance's tree from its events and compares it with what was recorded as each
 * event was appended (embedded store) and with every certificate's digest and signature.
 */
export async function verifyAlliance(
  allianceId: string,
  events: AsyncIterable<ReadEvent>,
  recorded: { records: Iterable<DigestRecord>; recordedSince: bigint } | null,
  keys: SigningKeys,
): Promise<AllianceVerification> {
  const leaves: Buffer[] = [];
  const closes: Array<{ index: number; data: PeriodClosed['data'] }> = [];
  const records = recorded ? recorded.records[Symbol.iterator]() : null;
  let checkedRecords = 0;
  let firstBreak: HistoryBreak | null = null;
  let position: string | null = null;
  const at = (index: number, event: ReadEvent | null, problem: BreakKind, detail: string): HistoryBreak => ({
    problem,
    index,
    position: event?.position ?? null,
    streamName: event?.streamName ?? null,
    revision: event ? event.revision.toString() : null,
    type: event?.type ?? null,
    naturalId: event ? naturalIdOf(event.data) : null,
    eventId: event?.id ?? null,
    detail,
  });

  for await (const event of events) {
    const index = leaves.length;
    position = event.position;
    const leaf = event.unreadable ? leafHash(`unreadable\n${event.id}`) : eventLeafHash(event);
    leaves.push(leaf);
    if (event.unreadable) firstBreak ??= at(index, event, 'unreadable', event.unreadable);
    if (event.type === 'PeriodClosed' && !event.unreadable) closes.push({ index, data: event.data as PeriodClosed['data'] });
    if (records && !firstBreak) {
      const next = records.next();
      const record = next.done ? undefined : next.value;
      if (record) checkedRecords += 1;
      firstBreak = compareWithRecord(index, event, record, at);
    }
  }
  if (records && !firstBreak) {
    const extra = records.next();
    if (!extra.done) firstBreak = missing(extra.value, null);
  }

  const sizes = new Set(closes.map((close) => close.data.certificate.ledger?.treeSize).filter((size): size is number => typeof size === 'number'));
  const roots = rootsAt(leaves, sizes);
  const certificates = closes.map(({ data }): CertificateVerification => {
    const ledger = data.certificate.ledger ?? null;
    const recomputedRoot = ledger ? (roots.get(ledger.treeSize) ?? null) : null;
    return {
      periodId: data.periodId,
      certifiedAt: data.certificate.certifiedAt,
      treeSize: ledger?.treeSize ?? null,
      root: ledger?.root ?? null,
      recomputedRoot,
      rootMatches: ledger ? recomputedRoot === ledger.root : null,
      signature: checkCertificateSignature(keys, allianceId, data.periodId, data.certificate),
      affected: false,
    };
  });

  if (!firstBreak) {
    // Without per-event records (or with records rewritten to match), the certificates bound the break.
    const sorted = certificates.filter((certificate) => certificate.treeSize !== null).sort((a, b) => a.treeSize! - b.treeSize!);
    const firstBad = sorted.findIndex((certificate) => certificate.rootMatches === false);
    if (firstBad >= 0) {
      const from = firstBad === 0 ? 0 : sorted[firstBad - 1].treeSize!;
      const to = sorted[firstBad].treeSize!;
      firstBreak = {
        problem: 'certificate_mismatch',
        index: from,
        position: null,
        streamName: null,
        revision: null,
        type: null,
        naturalId: null,
        eventId: null,
        detail: `the events at tree indexes ${from} to ${to - 1} do not give the root certified for ${sorted[firstBad].periodId}; one of them was changed, removed or added`,
      };
    }
  }
  for (const certificate of certificates) {
    certificate.affected =
      certificate.rootMatches === false ||
      certificate.signature === 'invalid' ||
      certificate.signature === 'unknown_key' ||
      (firstBreak !== null && certificate.treeSize !== null && firstBreak.index < certificate.treeSize);
  }
  const affectedCertificates = certificates.filter((certificate) => certificate.affected).map((certificate) => certificate.periodId);
  const frontier = MerkleFrontier.empty();
  for (const leaf of leaves) frontier.append(leaf);
  return {
    allianceId,
    ok: firstBreak === null && affectedCertificates.length === 0,
    algorithm: TREE_ALGORITHM,
    treeSize: leaves.length,
    root: frontier.root().toString('hex'),
    position,
    recordedDigests: recorded ? { checked: checkedRecords, recordedSince: recorded.recordedSince.toString() } : null,
    firstBreak,
    certificates,
    affectedCertificates,
  };
}

type At = (index: number, event: ReadEvent | null, problem: BreakKind, detail: string) => HistoryBreak;

/** Compares the event found at a tree index with the digest recorded for that index when it was appended. */
function compareWithRecord(index: number, event: ReadEvent, record: DigestRecord | undefined, at: At): HistoryBreak | null {
  const stored = BigInt(event.position.split('/')[0]);
  if (!record) return at(index, event, 'unrecorded', 'no digest was recorded for this event when it was appended: it was added to the file afterwards');
  if (stored < record.position) return at(index, event, 'unrecorded', `no digest was recorded for this event; the next recorded one is at position ${record.position}`);
  if (stored > record.position) return missing(record, event);
  if (eventLeafHash(event).toString('hex') !== record.leaf) {
    const moved = record.eventId !== event.id || record.stream !== event.streamName || record.revision !== event.revision;
    return at(index, event, 'altered', moved ? `position ${record.position} held event ${record.eventId} (${record.stream} revision ${record.revision}, ${record.type}); it now holds another: events were swapped or moved` : 'its stored content differs from what was appended');
  }
  return null;
}

function missing(record: DigestRecord, found: ReadEvent | null): HistoryBreak {
  return {
    problem: 'missing',
    index: record.leafIndex,
    position: `${record.position}/${record.position}`,
    streamName: record.stream,
    revision: record.revision.toString(),
    type: record.type,
    naturalId: null,
    eventId: record.eventId,
    detail: `the event appended at this position is no longer in the store${found ? ` (the next one found is at ${found.position})` : ''}: it was deleted`,
  };
}

/** The tree's root at each of the given sizes, in one pass over the leaves. */
export function rootsAt(leaves: readonly Buffer[], sizes: ReadonlySet<number>): Map<number, string> {
  const roots = new Map<number, string>();
  const frontier = MerkleFrontier.empty();
  if (sizes.has(0)) roots.set(0, frontier.root().toString('hex'));
  for (const leaf of leaves) {
    frontier.append(leaf);
    if (sizes.has(frontier.size)) roots.set(frontier.size, frontier.root().toString('hex'));
  }
  return roots;
}
