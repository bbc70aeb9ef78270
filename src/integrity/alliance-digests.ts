import { Inject, Injectable } from '@nestjs/common';
import { KeyedLock } from '../commanding/keyed-lock';
import { comparePositions, EVENT_STORE, EventStore, formatPosition, Position } from '../event-store/event-store.port';
import { notFound } from '../shared/domain-error';
import { streamNames } from '../shared/stream-names';
import { treeHeadSigningInput } from './certificate-signing';
import { eventLeafHash } from './event-leaf';
import { MerkleFrontier, TREE_ALGORITHM } from './merkle';
import { Signature, SigningKeys } from './signing-keys';

/** An alliance's current digest: the root of the Merkle tree over all its events, signed (a tree head). */
export interface AllianceDigest {
  allianceId: string;
  algorithm: typeof TREE_ALGORITHM;
  treeSize: number;
  root: string;
  /** The newest event's position in this store's log. */
  position: string;
  signature: Signature;
}

/**
 * Keeps each alliance's tree frontier in memory and reads only the events appended since, so
 * the current digest costs one short read however long the history.
 */
@Injectable()
export class AllianceDigests {
  private readonly frontiers = new Map<string, { frontier: MerkleFrontier; position: Position | null }>();
  private readonly lock = new KeyedLock();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly keys: SigningKeys,
  ) {}

  current(allianceId: string): Promise<AllianceDigest> {
    return this.lock.run(allianceId, async () => {
      const known = this.frontiers.get(allianceId) ?? { frontier: MerkleFrontier.empty(), position: null };
      const frontier = known.frontier.clone();
      let position = known.position;
      const from = position ?? 'start';
      for await (const event of this.store.readAll({ fromPosition: from, filter: { streamNamePrefixes: [streamNames.alliancePrefix(allianceId)] } })) {
        if (position && comparePositions(event.position, position) <= 0) continue;
        frontier.append(eventLeafHash(event));
        position = event.position;
      }
      if (!position) throw notFound('alliance_not_found', 'allianceId', `alliance ${allianceId} has no events`);
      this.frontiers.set(allianceId, { frontier, position });
      const root = frontier.root().toString('hex');
      return {
        allianceId,
        algorithm: TREE_ALGORITHM,
        treeSize: frontier.size,
        root,
        position: formatPosition(position),
        signature: this.keys.sign(treeHeadSigningInput(allianceId, frontier.size, root)),
      };
    });
  }
}
