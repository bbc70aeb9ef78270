import { PeriodClosed } from '../periods/domain/periods.events';
import { conflict, notFound } from '../shared/domain-error';
import { ReadEvent } from './alliance-events';
import { eventLeafHash } from './event-leaf';
import { inclusionPath, merkleRoot, TREE_ALGORITHM } from './merkle';
import { WELL_KNOWN_KEYS_PATH } from './signing-keys';

export const PROOF_FORMAT = 'alliance-ledger-inclusion-proof';

/**
 * Everything needed to check offline that one event is covered by a certified digest: the event,
 * its leaf's audit path to the root of the tree the certificate signed, and that certificate as
 * recorded. `tools/verify-ledger.mjs proof FILE --keys KEYS` checks it.
 */
export interface InclusionProof {
  format: typeof PROOF_FORMAT;
  version: 1;
  allianceId: string;
  algorithm: typeof TREE_ALGORITHM;
  event: Omit<ReadEvent, 'revision' | 'unreadable'> & { revision: string };
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
  /** The root the path leads to, computed from the store now: equal to the certificate's when nothing was changed. */
  root: string;
  certificate: { periodId: string; certificate: PeriodClosed['data']['certificate'] };
  keys: string;
}

/** Builds the proof for an event against the first certificate whose digest covers it. */
export async function buildInclusionProof(allianceId: string, eventId: string, events: AsyncIterable<ReadEvent>): Promise<InclusionProof> {
  const leaves: Buffer[] = [];
  let found: { index: number; event: ReadEvent } | undefined;
  let covering: PeriodClosed['data'] | undefined;
  for await (const event of events) {
    if (event.id === eventId) found = { index: leaves.length, event };
    leaves.push(eventLeafHash(event));
    if (found && !covering && event.type === 'PeriodClosed') {
      const data = event.data as PeriodClosed['data'];
      if (data.certificate.ledger && data.certificate.ledger.treeSize > found.index) covering = data;
    }
  }
  if (!found) throw notFound('event_not_found', 'eventId', `alliance ${allianceId} has no event ${eventId}`);
  if (!covering) {
    throw conflict('event_not_certified', 'eventId', `event ${eventId} is not yet covered by a signed certificate; it will be once the next period closes (GET /alliances/${allianceId}/digest gives the current, signed digest)`);
  }
  const treeSize = covering.certificate.ledger!.treeSize;
  const { revision, unreadable: _unreadable, ...event } = found.event;
  return {
    format: PROOF_FORMAT,
    version: 1,
    allianceId,
    algorithm: TREE_ALGORITHM,
    event: { ...event, revision: revision.toString() },
    leafIndex: found.index,
    treeSize,
    leafHash: leaves[found.index].toString('hex'),
    auditPath: inclusionPath(leaves, found.index, Math.min(treeSize, leaves.length)).map((hash) => hash.toString('hex')),
    root: merkleRoot(leaves, 0, Math.min(treeSize, leaves.length)).toString('hex'),
    certificate: { periodId: covering.periodId, certificate: covering.certificate },
    keys: `/${WELL_KNOWN_KEYS_PATH}`,
  };
}
