import { EventStore } from '../event-store/event-store.port';
import { invalid } from '../shared/domain-error';
import { allianceEvents } from './alliance-events';
import { eventLeafHash, LEAF_FORMAT } from './event-leaf';
import { EXPORT_FORMAT, ExportLine } from './export-format';
import { MerkleFrontier, TREE_ALGORITHM } from './merkle';
import { SigningKeys } from './signing-keys';

/**
 * The alliance's full history as NDJSON lines: a header, every event with its metadata and
 * position, and the digest of them all. An event the store can no longer read stops the export.
 */
export async function* exportHistory(store: EventStore, allianceId: string, keys: SigningKeys, now: Date): AsyncIterable<ExportLine> {
  yield { kind: 'header', format: EXPORT_FORMAT, version: 1, allianceId, exportedAt: now.toISOString(), source: store.kind, leaf: LEAF_FORMAT, tree: TREE_ALGORITHM, keys: keys.published() };
  const frontier = MerkleFrontier.empty();
  let position: string | null = null;
  for await (const event of allianceEvents(store, allianceId)) {
    if (event.unreadable) throw invalid('--alliance', `event ${event.id} at position ${event.position} cannot be exported: ${event.unreadable} (run ledger verify)`, 'event_unreadable');
    yield {
      kind: 'event',
      index: frontier.size,
      position: event.position,
      id: event.id,
      streamName: event.streamName,
      revision: event.revision.toString(),
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      created: event.created,
    };
    frontier.append(eventLeafHash(event));
    position = event.position;
  }
  if (frontier.size === 0) throw invalid('--alliance', `alliance ${allianceId} has no events in this store`, 'alliance_not_found');
  yield { kind: 'digest', algorithm: TREE_ALGORITHM, treeSize: frontier.size, root: frontier.root().toString('hex'), position };
}
