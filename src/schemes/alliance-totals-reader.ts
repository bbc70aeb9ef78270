import { AppendResult, comparePositions, EventStore, Position } from '../event-store/event-store.port';
import { DomainEvent } from '../shared/decider';
import { streamNames } from '../shared/stream-names';
import { addToAllianceTotals, ALLIANCE_TOTALS_EVENT_TYPES, AllianceTotals, NO_TOTALS } from './domain/alliance-totals';

interface Known {
  totals: AllianceTotals;
  /** The newest event folded in; reading resumes after it. */
  position: Position | null;
  /**
   * On a store with a local head (EventStore.localHead): a log position such that every event at
   * or before it is counted. Null where the store has none, or before the first read.
   */
  covered: bigint | null;
  /** Reads of one alliance run one after another, so no event is counted twice. */
  reading: Promise<unknown>;
}

const COUNTED_TYPES: ReadonlySet<string> = new Set(ALLIANCE_TOTALS_EVENT_TYPES);

/**
 * An alliance's totals from the event store itself (not the read models, which may lag): the
 * first call reads its scheme events, later calls only what was appended since. What this process
 * appends itself it can be told (appended), so an import does not read back what it just wrote.
 */
export class AllianceTotalsReader {
  private readonly known = new Map<string, Known>();

  constructor(private readonly store: EventStore) {}

  read(allianceId: string): Promise<AllianceTotals> {
    let known = this.known.get(allianceId);
    if (!known) this.known.set(allianceId, (known = { totals: NO_TOTALS, position: null, covered: null, reading: Promise.resolve() }));
    return this.then(known, () => this.catchUp(allianceId, known));
  }

  /**
   * This process has just appended `events` to `streamName`, one of the alliance's streams, with
   * `result`. On a store with a local head, whose appends take consecutive positions, they are
   * counted here without being read back, when they directly follow what is counted (nothing else
   * was appended in between) and none of them was read already. Otherwise, and for a retry that
   * wrote nothing (its events may lie apart in the log), nothing happens here, and the next read
   * finds them in the store.
   */
  appended(allianceId: string, streamName: string, events: ReadonlyArray<Pick<DomainEvent, 'type' | 'data'>>, result: AppendResult): void {
    const known = this.known.get(allianceId);
    if (!known || !this.store.localHead || events.length === 0 || result.retried) return;
    void this.then(known, () => this.absorb(allianceId, known, streamName, events, result.position));
  }

  private then<T>(known: Known, next: () => Promise<T> | T): Promise<T> {
    const result = known.reading.then(next, next);
    known.reading = result.catch(() => undefined);
    return result;
  }

  private absorb(allianceId: string, known: Known, streamName: string, events: ReadonlyArray<Pick<DomainEvent, 'type' | 'data'>>, last: Position): void {
    const first = last.commit - BigInt(events.length) + 1n;
    if (known.covered === null || known.covered !== first - 1n) return;
    if (known.position && known.position.commit >= first) return;
    const counted = streamName.startsWith(`${streamNames.alliancePrefix(allianceId)}scheme.`);
    for (const event of events) if (counted && COUNTED_TYPES.has(event.type)) known.totals = addToAllianceTotals(known.totals, event);
    known.position = last;
    known.covered = last.commit;
  }

  private async catchUp(allianceId: string, known: Known): Promise<AllianceTotals> {
    // Everything up to the log's head before this read is counted by its end.
    const head = this.store.localHead?.();
    if (head !== undefined && known.covered === head) return known.totals;
    const events = this.store.readAll({
      fromPosition: known.position ?? 'start',
      filter: { streamNamePrefixes: [`${streamNames.alliancePrefix(allianceId)}scheme.`], eventTypes: [...ALLIANCE_TOTALS_EVENT_TYPES] },
    });
    for await (const event of events) {
      // Reading from a position includes the event at it, which is already counted.
      if (known.position && comparePositions(event.position, known.position) <= 0) continue;
      known.totals = addToAllianceTotals(known.totals, event);
      known.position = event.position;
    }
    known.covered = head ?? null;
    return known.totals;
  }
}
