import { comparePositions, EventStore, Position, StoredEvent } from '../event-store/event-store.port';
import { SchemeEvent } from '../schemes/domain/scheme.events';
import { formatPence } from '../shared/money';
import { streamNames } from '../shared/stream-names';
import { isPeriodInput } from '../settlement/domain/certification';
import { FigureExplanation, PeriodExplanation, SchemeSubtotal } from '../settlement/domain/explanation';
import { findLedgerPeriod, LedgerState, moneyEffect } from '../settlement/domain/ledger';
import { FactTally, HistoryFold } from './ledger-snapshots';

/** Events listed per figure; the rest are counted, subtotalled per scheme and paged through on demand. */
export const EXPLAIN_PAGE = 100;

const MOVING_TYPES = {
  target: ['TargetBaselineSet', 'CompensationEventImplemented', 'CompensationEventReversed'],
  outturn: ['DefinedCostRecorded', 'CostDisallowed', 'DefinedCostReversed'],
} as const;
type Side = keyof typeof MOVING_TYPES;

/** Where the period stands among the others, and which schemes are in its pool (completed in it or earlier). */
export function periodScope(state: LedgerState, periodId: string): { upToPeriod: (id: string) => boolean; pool: string[] } | undefined {
  const period = findLedgerPeriod(state, periodId);
  if (!period) return undefined;
  const sequenceOf = new Map(state.periods.map((entry) => [entry.periodId, entry.sequence]));
  const upToPeriod = (id: string) => (sequenceOf.get(id) ?? Infinity) <= period.sequence;
  const pool = Object.values(state.schemes)
    .filter((scheme) => scheme.completedIn !== null && upToPeriod(scheme.completedIn))
    .map((scheme) => scheme.schemeId)
    .sort();
  return { upToPeriod, pool };
}

/**
 * The first target- and outturn-moving inputs of the pool's schemes, EXPLAIN_PAGE of each at most,
 * in log order: the schemes' streams are read a few events at a time and merged by position,
 * stopping once the tally says nothing more is needed. Enough for every figure's first page.
 */
export async function firstCostInputs(
  store: EventStore,
  state: LedgerState,
  periodId: string,
  tally: FactTally,
  options: { recordedBy: number; cutoff?: Position; recordedAt: (event: StoredEvent) => number },
): Promise<StoredEvent[]> {
  const scope = periodScope(state, periodId)!;
  const wanted = { target: 0, outturn: 0 };
  for (const schemeId of scope.pool) {
    wanted.target += count(tally, schemeId, 'target', scope.upToPeriod);
    wanted.outturn += count(tally, schemeId, 'outturn', scope.upToPeriod);
  }
  wanted.target = Math.min(EXPLAIN_PAGE, wanted.target);
  wanted.outturn = Math.min(EXPLAIN_PAGE, wanted.outturn);
  const seen = { target: 0, outturn: 0 };
  const found: StoredEvent[] = [];
  const cursors = scope.pool.map((schemeId) => new StreamCursor(store, streamNames.scheme(state.allianceId, schemeId), options.cutoff));
  while (seen.target < wanted.target || seen.outturn < wanted.outturn) {
    let next: StreamCursor | undefined;
    for (const cursor of cursors) {
      const head = await cursor.peek();
      if (head && (!next || comparePositions(head.position, (await next.peek())!.position) < 0)) next = cursor;
    }
    if (!next) break;
    const event = next.take();
    if (options.recordedAt(event) > options.recordedBy || !scope.upToPeriod(event.data?.periodId)) continue;
    const effect = moneyEffect(event as unknown as SchemeEvent);
    if (!effect) continue;
    const sides = (['target', 'outturn'] as const).filter((side) => effect[side] !== 0n && seen[side] < wanted[side]);
    for (const side of sides) seen[side] += 1;
    if (sides.length > 0) found.push(event);
  }
  return found;
}

/** Reads a stream forwards a page at a time, the pages doubling from a few events, up to a position. */
class StreamCursor {
  private buffer: StoredEvent[] = [];
  private next = 0n;
  private page = 8;
  private ended = false;

  constructor(
    private readonly store: EventStore,
    private readonly streamName: string,
    private readonly upTo?: Position,
  ) {}

  async peek(): Promise<StoredEvent | undefined> {
    if (this.buffer.length === 0 && !this.ended) await this.fill();
    return this.buffer[0];
  }

  take(): StoredEvent {
    return this.buffer.shift()!;
  }

  private async fill(): Promise<void> {
    for await (const event of this.store.readStream(this.streamName, { fromRevision: this.next, maxCount: this.page })) {
      if (this.upTo && comparePositions(event.position, this.upTo) > 0) {
        this.ended = true;
        break;
      }
      this.buffer.push(event);
      this.next = event.revision + 1n;
    }
    if (this.buffer.length < this.page) this.ended = true;
    this.page = Math.min(this.page * 2, 1000);
  }
}

/** The notable inputs of the period (configuration, periods, completions, safety, measurements). */
export function notableInputs(notable: readonly StoredEvent[], state: LedgerState, periodId: string): StoredEvent[] {
  return notable.filter((event) => isPeriodInput(event, state, periodId));
}

/**
 * Completes an explanation made from the first inputs only: every figure says how many events it
 * came from, lists the first EXPLAIN_PAGE, and the target and outturn are subtotalled per scheme
 * (from the ledger and tally as they stood at the period's last input).
 */
export function withTotals(explanation: PeriodExplanation, state: LedgerState, atCutoff: HistoryFold): PeriodExplanation {
  const scope = periodScope(state, explanation.periodId)!;
  const figures = explanation.figures.map((figure): FigureExplanation => {
    const side: Side | undefined = figure.figure === 'cost.target' ? 'target' : figure.figure === 'cost.outturn' ? 'outturn' : undefined;
    if (!side) return { ...figure, eventCount: figure.events.length };
    const bySchemes = scope.pool.map((schemeId): SchemeSubtotal => {
      const byPeriod = atCutoff.ledger.schemes[schemeId]?.byPeriod ?? {};
      const amount = Object.entries(byPeriod).reduce((sum, [periodId, movement]) => (scope.upToPeriod(periodId) ? sum + movement[side] : sum), 0n);
      return {
        schemeId,
        amount: formatPence(amount),
        eventCount: count(atCutoff.tally, schemeId, side, scope.upToPeriod),
        events: `/alliances/${state.allianceId}/events?stream=scheme.${schemeId}&type=${MOVING_TYPES[side].join(',')}`,
      };
    });
    return { ...figure, events: figure.events.slice(0, EXPLAIN_PAGE), eventCount: bySchemes.reduce((sum, scheme) => sum + scheme.eventCount, 0), bySchemes };
  });
  return { ...explanation, figures };
}

function count(tally: FactTally, schemeId: string, side: Side, upToPeriod: (id: string) => boolean): number {
  return Object.entries(tally[schemeId] ?? {}).reduce((sum, [periodId, counts]) => (upToPeriod(periodId) ? sum + counts[side] : sum), 0);
}
