import { PublishedKey } from './signing-keys';
import { TREE_ALGORITHM } from './merkle';
import { LEAF_FORMAT } from './event-leaf';

export const EXPORT_FORMAT = 'alliance-ledger-export';

/** First line: what the file is, and the public keys its certificates were signed with. */
export interface ExportHeader {
  kind: 'header';
  format: typeof EXPORT_FORMAT;
  version: 1;
  allianceId: string;
  exportedAt: string;
  source: 'embedded' | 'eventstoredb';
  leaf: typeof LEAF_FORMAT;
  tree: typeof TREE_ALGORITHM;
  keys: { keys: PublishedKey[] };
}

/** One line per event, oldest first: `index` is its leaf's place in the alliance's tree. */
export interface ExportedEvent {
  kind: 'event';
  index: number;
  position: string;
  id: string;
  streamName: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: unknown;
  created: string;
}

/** Last line: the digest of every event above. A file without it was cut short. */
export interface ExportTrailer {
  kind: 'digest';
  algorithm: typeof TREE_ALGORITHM;
  treeSize: number;
  root: string;
  position: string | null;
}

export type ExportLine = ExportHeader | ExportedEvent | ExportTrailer;
