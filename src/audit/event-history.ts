import { comparePositions, EventStore, formatPosition, InvalidPositionError, StoredEvent } from '../event-store/event-store.port';
import { invalid } from '../shared/domain-error';
import { streamNames } from '../shared/stream-names';
import { EventSearch, matchesSearch, needsScan } from './event-search';

export interface EventPage {
  allianceId: string;
  events: Array<{
    position: string;
    streamName: string;
    revision: string;
    eventId: string;
    type: string;
    data: unknown;
    metadata: unknown;
    created: string;
  }>;
  /** Pass as `after` (oldest first) or `before` (newest first) for the next page in the same order; null when this page reached the end. */
  next: string | null;
  /** Pass as `after` for the events newer than this page, `before` for the older ones; null when there are none to page to. */
  newer: string | null;
  older: string | null;
  /** How many events were read to fill the page; a search stops after `SCAN_LIMIT` and continues from `next`. */
  scanned: number;
}

/** A filtered search reads at most this many events a page, so one request never walks the whole log. */
export const SCAN_LIMIT = 200_000;

/**
 * The alliance's event history in pages, oldest or newest first, filtered by type and stream in
 * the store and by period, actor, date range and id as it reads: what auditors read and check.
 */
export async function readAllianceEvents(store: EventStore, allianceId: string, options: EventSearch): Promise<EventPage> {
  const prefix = options.stream ? `${streamNames.alliancePrefix(allianceId)}${options.stream}` : streamNames.alliancePrefix(allianceId);
  const newestFirst = options.order === 'newest';
  // Newest first reads backwards, unless it pages towards the newer events (after), which it reads forwards and turns round.
  const backwards = options.before !== undefined || (newestFirst && options.after === undefined);
  const cursor = backwards ? options.before : options.after;
  const filter = { streamNamePrefixes: [prefix], eventTypes: options.types };
  // The store matches a prefix, so `scheme.A` also takes in `scheme.AB`: a stream is matched whole, or as a family (`scheme` is every scheme.X).
  const inStream = (name: string) => options.stream === undefined || name === prefix || name.startsWith(`${prefix}.`);
  const scan = needsScan(options);
  const matched: StoredEvent[] = [];
  let scanned = 0;
  let last: StoredEvent | undefined;
  let scanStopped = false;
  try {
    for await (const event of store.readAll({ direction: backwards ? 'backwards' : 'forwards', fromPosition: cursor ?? (backwards ? 'end' : 'start'), maxCount: scan || options.stream !== undefined ? undefined : options.limit + 2, filter })) {
      if (!backwards && cursor && comparePositions(event.position, cursor) <= 0) continue;
      scanned += 1;
      last = event;
      if (inStream(event.streamName) && (!scan || matchesSearch(event, options))) {
        matched.push(event);
        // One more than the page, to know whether there is a next page.
        if (matched.length > options.limit) break;
      }
      if (scanned >= SCAN_LIMIT) {
        scanStopped = true;
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof InvalidPositionError)) throw error;
    const field = options.before !== undefined ? 'before' : 'after';
    throw invalid(field, `must be a position from a previous page; ${formatPosition(error.position)} is not a position of this event store`, 'invalid_query');
  }
  const full = matched.length > options.limit;
  if (full) matched.pop();
  const resumeAt = full || !scanStopped ? matched[matched.length - 1] : last;
  const continuation = (full || scanStopped) && resumeAt ? formatPosition(resumeAt.position) : null;
  const inOrder = backwards === newestFirst ? matched : [...matched].reverse();
  const newestShown = backwards ? matched[0] : matched[matched.length - 1];
  const oldestShown = backwards ? matched[matched.length - 1] : matched[0];
  const back = (shown: StoredEvent | undefined) => (cursor ? formatPosition(shown?.position ?? cursor) : null);
  const newer = backwards ? back(newestShown) : continuation;
  const older = backwards ? continuation : back(oldestShown);
  return {
    allianceId,
    events: inOrder.map(describeEvent),
    next: newestFirst ? older : newer,
    newer,
    older,
    scanned,
  };
}

/** An event as the API shows it: the history, the feed. */
export function describeEvent(event: StoredEvent): EventPage['events'][number] {
  return {
    position: formatPosition(event.position),
    streamName: event.streamName,
    revision: event.revision.toString(),
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    created: event.created.toISOString(),
  };
}

