import { Position, StoredEvent } from '../event-store/event-store.port';
import { parseAfter, parseAsAt, parseLimit } from '../http/query-params';
import { invalid } from '../shared/domain-error';
import { recordedAt } from '../history/recorded-at';

/** What the event history can be narrowed to: the same options over HTTP, on the pages and in the CLI. */
export interface EventSearch {
  /** Events strictly after this position (newer). */
  after?: Position;
  /** Events strictly before this position (older). */
  before?: Position;
  limit: number;
  /** `oldest` first (the API's default) or `newest` first (the pages'). */
  order?: 'oldest' | 'newest';
  types?: string[];
  /** A stream within the alliance: `scheme.A`, `periods`, `safety`… */
  stream?: string;
  /** Events whose data names this period. */
  periodId?: string;
  /** Events recorded by this actor (exact subject). */
  actor?: string;
  /** Recorded at or after `from`, and before `to` (the ledger's own clock). */
  from?: Date;
  to?: Date;
  /** The history as it stood at this instant: only events recorded at or before it, as `asAt` counts them for the figures. */
  asAt?: Date;
  /** An event id, command id, correlation id, or an id in the event's data (cost line, CE, incident…). */
  search?: string;
}

/** The query string shape shared by `GET /alliances/{a}/events`, the history page and its exports. */
export interface EventSearchQuery {
  after?: string;
  before?: string;
  limit?: string;
  order?: string;
  type?: string;
  stream?: string;
  scheme?: string;
  period?: string;
  actor?: string;
  from?: string;
  to?: string;
  asAt?: string;
  q?: string;
}

const TEXT = /^[\w.:@+\-/ ]{1,200}$/u;

export function parseEventSearch(query: EventSearchQuery, defaults: { limit?: number; order?: 'oldest' | 'newest'; maxLimit?: number } = {}): EventSearch {
  if (query.after && query.before) throw invalid('before', 'cannot be given with after: page one way at a time', 'invalid_query');
  const order = query.order === undefined || query.order === '' ? (defaults.order ?? 'oldest') : query.order;
  if (order !== 'oldest' && order !== 'newest') throw invalid('order', 'must be oldest or newest', 'invalid_query');
  if (query.stream && query.scheme) throw invalid('scheme', 'cannot be given with stream (a scheme is the stream scheme.ID)', 'invalid_query');
  const text = (field: string, value: string | undefined) => {
    if (value === undefined || value === '') return undefined;
    if (!TEXT.test(value)) throw invalid(field, 'must be 1–200 letters, digits, spaces or . : @ + - / _', 'invalid_query');
    return value;
  };
  const before = query.before ? parseAfter(query.before) : undefined;
  if (query.before && !before) throw invalid('before', 'must be a position from a previous page', 'invalid_query');
  return {
    after: parseAfter(query.after),
    before,
    limit: parseLimit(query.limit, defaults.limit ?? 100, defaults.maxLimit ?? 1000),
    order,
    types: query.type ? query.type.split(',').map((type) => type.trim()).filter(Boolean) : undefined,
    stream: text('stream', query.stream) ?? (query.scheme ? `scheme.${text('scheme', query.scheme)}` : undefined),
    periodId: text('period', query.period),
    actor: text('actor', query.actor),
    from: parseAsAt(query.from, 'from'),
    to: parseAsAt(query.to, 'to'),
    asAt: parseAsAt(query.asAt, 'asAt'),
    search: text('q', query.q),
  };
}

/** The filters the store cannot apply itself (it filters by stream prefix and type). */
export function matchesSearch(event: StoredEvent, search: EventSearch): boolean {
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (search.periodId !== undefined && data.periodId !== search.periodId) return false;
  if (search.actor !== undefined && event.metadata.actor !== search.actor) return false;
  if (search.from !== undefined || search.to !== undefined || search.asAt !== undefined) {
    const at = recordedAt(event);
    if (search.from !== undefined && at < search.from.getTime()) return false;
    if (search.to !== undefined && at >= search.to.getTime()) return false;
    if (search.asAt !== undefined && at > search.asAt.getTime()) return false;
  }
  if (search.search !== undefined) {
    const needle = search.search.toLowerCase();
    const ids = [event.id, event.metadata.commandId, event.metadata.correlationId, ...Object.values(data)];
    if (!ids.some((value) => typeof value === 'string' && value.toLowerCase() === needle) && !event.id.startsWith(needle)) return false;
  }
  return true;
}

/** Whether any filter needs the events read and checked one by one. */
export function needsScan(search: EventSearch): boolean {
  return [search.periodId, search.actor, search.from, search.to, search.asAt, search.search].some((value) => value !== undefined);
}
