import { canonicalJson } from '../shared/canonical-json';
import { leafHash } from './merkle';

/** What of an event the digest covers: everything but where a store put it and its own clock. */
export interface LeafSource {
  id: string;
  streamName: string;
  revision: bigint | string;
  type: string;
  data: unknown;
  metadata: unknown;
}

export const LEAF_FORMAT = 'canonical-json-v1';

/**
 * A leaf is the canonical JSON (keys sorted, no whitespace) of the event's id, stream, revision
 * (as a decimal string), type, data and metadata. Its position in the log and the store's
 * `created` are left out, so the digest survives export, restore and migration to EventStoreDB.
 */
export function eventLeafText(event: LeafSource): string {
  return canonicalJson({
    id: event.id,
    streamName: event.streamName,
    revision: String(event.revision),
    type: event.type,
    data: event.data,
    metadata: event.metadata ?? {},
  });
}

export function eventLeafHash(event: LeafSource): Buffer {
  return leafHash(eventLeafText(event));
}

const NATURAL_ID_FIELDS = ['schemeId', 'costId', 'ceId', 'incidentId', 'kpiId', 'partnerId', 'periodId', 'subject', 'role'];

/** The domain's own names for what an event is about, e.g. `schemeId=A costId=A-1 periodId=2026-Q1`. */
export function naturalIdOf(data: unknown): string | null {
  if (data === null || typeof data !== 'object') return null;
  const record = data as Record<string, unknown>;
  const parts = NATURAL_ID_FIELDS.filter((field) => typeof record[field] === 'string').map((field) => `${field}=${record[field] as string}`);
  return parts.length > 0 ? parts.join(' ') : null;
}
