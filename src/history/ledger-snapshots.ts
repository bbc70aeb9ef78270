import { TimeSlices } from '../shared/time-slices';
import { comparePositions, EventStore, Position, StoredEvent } from '../event-store/event-store.port';
import { streamNames } from '../shared/stream-names';
import { SchemeEvent } from '../schemes/domain/scheme.events';
import { evolveLedger, initialLedger, LEDGER_EVENT_TYPES, LedgerEvent, LedgerState, moneyEffect } from '../settlement/domain/ledger';

/** schemeId → the period a fact was recorded for → how many facts moved the target, and the outturn. */
export type FactTally = Record<string, Record<string, { target: number; outturn: number }>>;

/** The ledger and the count of the facts behind its money, folded together. */
export interface HistoryFold {
  ledger: LedgerState;
  tally: FactTally;
}

/** Event types rare enough to keep every one of (configuration, periods, completions, safety, measurements): explanations list them. */
export const NOTABLE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'AllianceFormed',
  'KpiDefined',
  'PeriodOpened',
  'PeriodClosed',
  'PeriodCancelled',
  'SchemeCompleted',
  // Site dates feed the time-on-site KPI, which a scheme has a handful of, not thousands.
  'SiteDatesRecorded',
  'SafetyIncidentReported',
  'HoursWorkedRecorded',
  'KpiMeasurementRecorded',
]);

/** Alliance events between two snapshots, at first; the spacing doubles whenever there would be more than MAX_SNAPSHOTS. */
export const SNAPSHOT_EVERY = 2_000;
export const MAX_SNAPSHOTS = 1_000;
/** How long a fold may keep the event loop before letting other work run. */
const SLICE_MS = 4;

/** The ledger just after the event at `position`, and what is known of when the events up to it were recorded. */
interface Snapshot {
  position: Position;
  /** How many of the alliance's events it folds: the event at `position` is the count-th. */
  count: number;
  state: HistoryFold;
  /** The latest recordedAt of any event up to `position`: for an instant at or after it, this state is the whole past. */
  latest: number;
  /** The earliest recordedAt of the events since the snapshot before. */
  earliestInSegment: number;
}

interface AllianceHistory {
  /** The ledger folded up to `position`, the newest event read. */
  head: { state: HistoryFold; position: Position | null; count: number; latest: number; earliestSinceSnapshot: number; sinceSnapshot: number };
  snapshots: Snapshot[];
  /** Every notable event so far, in log order. */
  notable: StoredEvent[];
  spacing: number;
  /** Reads of one alliance run one after another. */
  reading: Promise<unknown>;
}

/**
 * The ledger of an alliance as it stood at any instant (`asAt`), without folding its whole history
 * each time. The first read folds the history once and keeps a copy of the ledger every few
 * thousand events; later reads fold only what was appended since, and an instant in the past
 * starts from the newest snapshot whose events were all recorded by then, folding onwards only as
 * far as events recorded by then can be (recordedAt comes from each writer's clock, so the log is
 * nearly but not strictly in recordedAt order: each segment's earliest time bounds the scan).
 * Kept in memory, per instance: a restart folds again on the first read.
 */
export class LedgerSnapshots {
  private readonly histories = new Map<string, AllianceHistory>();

  constructor(
    private readonly store: EventStore,
    private readonly recordedAt: (event: StoredEvent) => number,
    private readonly limits = { spacing: SNAPSHOT_EVERY, maxSnapshots: MAX_SNAPSHOTS },
  ) {}

  /** The alliance's ledger with every event recorded up to `asAt` (every event so far without it). */
  async stateAsAt(allianceId: string, asAt?: Date): Promise<LedgerState> {
    return (await this.foldAsAt(allianceId, { asAt })).ledger;
  }

  /**
   * The ledger and fact tally from the events recorded up to `asAt` (all without it), and only
   * those at or before `upTo` when given (a certificate's last input).
   */
  async foldAsAt(allianceId: string, { asAt, upTo }: { asAt?: Date; upTo?: Position }): Promise<HistoryFold> {
    const history = await this.caughtUp(allianceId);
    const limit = asAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const { head } = history;
    const headCovered = head.position === null || !upTo || comparePositions(head.position, upTo) <= 0;
    if ((limit >= head.latest && headCovered) || head.position === null) return structuredClone(head.state);
    const snapshots = history.snapshots.slice();
    let start = -1;
    while (start + 1 < snapshots.length && snapshots[start + 1].latest <= limit && (!upTo || comparePositions(snapshots[start + 1].position, upTo) <= 0)) start += 1;
    // earliestFrom[i]: the earliest recordedAt from segment i (ending at snapshot i) onwards, the unsnapshotted tail last.
    const earliestFrom: number[] = new Array(snapshots.length + 1);
    earliestFrom[snapshots.length] = head.sinceSnapshot > 0 ? head.earliestSinceSnapshot : Number.POSITIVE_INFINITY;
    for (let i = snapshots.length - 1; i >= 0; i -= 1) earliestFrom[i] = Math.min(snapshots[i].earliestInSegment, earliestFrom[i + 1]);
    const state = start >= 0 ? structuredClone(snapshots[start].state) : initialFold(allianceId);
    const from = start >= 0 ? snapshots[start].position : null;
    const end = upTo && comparePositions(upTo, head.position) < 0 ? upTo : head.position;
    let segment = start + 1;
    if (earliestFrom[segment] > limit) return state;
    for await (const event of this.events(allianceId, from, end)) {
      while (segment < snapshots.length && comparePositions(event.position, snapshots[segment].position) > 0) segment += 1;
      if (earliestFrom[segment] > limit) break;
      if (this.recordedAt(event) <= limit) evolveFold(state, event);
    }
    return state;
  }

  /**
   * Where the alliance's `n`-th event (1-based, in log order) is in this store, null when it holds
   * fewer. A certificate names its last input by that count (its tree size) as well as by
   * position, and only the count survives a move to another store (docs/integrity.md).
   */
  async positionOfEvent(allianceId: string, n: number): Promise<Position | null> {
    const history = await this.caughtUp(allianceId);
    const { head, snapshots } = history;
    if (n < 1 || n > head.count) return null;
    let start = -1;
    while (start + 1 < snapshots.length && snapshots[start + 1].count <= n) start += 1;
    if (start >= 0 && snapshots[start].count === n) return snapshots[start].position;
    let count = start >= 0 ? snapshots[start].count : 0;
    for await (const event of this.events(allianceId, start >= 0 ? snapshots[start].position : null, head.position)) {
      count += 1;
      if (count === n) return event.position;
    }
    return null;
  }

  /** The alliance's notable events recorded up to `asAt`, in log order (see NOTABLE_EVENT_TYPES). */
  async notableAsAt(allianceId: string, asAt?: Date): Promise<StoredEvent[]> {
    const history = await this.caughtUp(allianceId);
    const limit = asAt?.getTime() ?? Number.POSITIVE_INFINITY;
    return history.notable.filter((event) => this.recordedAt(event) <= limit);
  }

  /** Folds what was appended since the last read into the alliance's head, snapshotting as it goes. */
  private caughtUp(allianceId: string): Promise<AllianceHistory> {
    let history = this.histories.get(allianceId);
    if (!history) {
      history = {
        head: { state: initialFold(allianceId), position: null, count: 0, latest: Number.NEGATIVE_INFINITY, earliestSinceSnapshot: Number.POSITIVE_INFINITY, sinceSnapshot: 0 },
        snapshots: [],
        notable: [],
        spacing: this.limits.spacing,
        reading: Promise.resolve(),
      };
      this.histories.set(allianceId, history);
    }
    const entry = history;
    const next = entry.reading.then(
      () => this.extend(allianceId, entry),
      () => this.extend(allianceId, entry),
    );
    entry.reading = next;
    return next.then(() => entry);
  }

  private async extend(allianceId: string, history: AllianceHistory): Promise<void> {
    const { head } = history;
    for await (const event of this.events(allianceId, head.position, null)) {
      evolveFold(head.state, event);
      if (NOTABLE_EVENT_TYPES.has(event.type)) history.notable.push(event);
      const at = this.recordedAt(event);
      head.position = event.position;
      head.count += 1;
      head.latest = Math.max(head.latest, at);
      head.earliestSinceSnapshot = Math.min(head.earliestSinceSnapshot, at);
      head.sinceSnapshot += 1;
      if (head.sinceSnapshot >= history.spacing) {
        history.snapshots.push({ position: event.position, count: head.count, state: structuredClone(head.state), latest: head.latest, earliestInSegment: head.earliestSinceSnapshot });
        head.sinceSnapshot = 0;
        head.earliestSinceSnapshot = Number.POSITIVE_INFINITY;
        if (history.snapshots.length > this.limits.maxSnapshots) thin(history);
      }
    }
  }

  /** The alliance's events after `after` (all of them from null) up to `upTo` (the end from null), yielding the event loop every few ms. */
  private async *events(allianceId: string, after: Position | null, upTo: Position | null): AsyncIterable<StoredEvent> {
    const slices = new TimeSlices(SLICE_MS);
    const events = this.store.readAll({ fromPosition: after ?? 'start', filter: { streamNamePrefixes: [streamNames.alliancePrefix(allianceId)] } });
    for await (const event of events) {
      if (after && comparePositions(event.position, after) <= 0) continue;
      if (upTo && comparePositions(event.position, upTo) > 0) return;
      yield event;
      if (slices.due()) await slices.yield();
    }
  }
}

function initialFold(allianceId: string): HistoryFold {
  return { ledger: initialLedger(allianceId), tally: {} };
}

function evolveFold(fold: HistoryFold, event: StoredEvent): void {
  if (!LEDGER_EVENT_TYPES.has(event.type)) return;
  const schemeId: unknown = event.data?.schemeId;
  // Counted as the ledger counts money: only facts about a registered scheme.
  if (typeof schemeId === 'string' && fold.ledger.schemes[schemeId] && event.type !== 'SchemeRegistered') {
    const effect = moneyEffect(event as unknown as SchemeEvent);
    if (effect) {
      const counts = ((fold.tally[schemeId] ??= {})[event.data.periodId as string] ??= { target: 0, outturn: 0 });
      if (effect.target !== 0n) counts.target += 1;
      if (effect.outturn !== 0n) counts.outturn += 1;
    }
  }
  evolveLedger(fold.ledger, event as unknown as LedgerEvent);
}

/** Keeps every other snapshot (new arrays: a read in flight keeps the ones it took), and doubles the spacing. */
function thin(history: AllianceHistory): void {
  const kept: Snapshot[] = [];
  for (let i = 1; i < history.snapshots.length; i += 2) {
    const earlier = history.snapshots[i - 1];
    const later = history.snapshots[i];
    kept.push({ ...later, earliestInSegment: Math.min(earlier.earliestInSegment, later.earliestInSegment) });
  }
  if (history.snapshots.length % 2 === 1) {
    const last = history.snapshots[history.snapshots.length - 1];
    history.head.earliestSinceSnapshot = Math.min(history.head.earliestSinceSnapshot, last.earliestInSegment);
    history.head.sinceSnapshot += history.spacing;
  }
  history.snapshots = kept;
  history.spacing *= 2;
}
