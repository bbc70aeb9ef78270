import { comparePositions, EventStore, Position } from '../event-store/event-store.port';
import { streamNames } from '../shared/stream-names';
import { addToAllianceTotals, ALLIANCE_TOTALS_EVENT_TYPES, AllianceTotals, NO_TOTALS } from './domain/alliance-totals';

interface Known {
  totals: AllianceTotals;
  /** The newest event folded in; reading resumes after it. */
  position: Position | null;
  /** Reads of one alliance run one after another, so no event is counted twice. */
  reading: Promise<unknown>;
}

/**
 * An alliance's totals from the event store itself (not the read models, which may lag): the
 * first call reads its scheme events, later calls only what was appended since.
 */
export class AllianceTotalsReader {
  private readonly known = new Map<string, Known>();

  constructor(private readonly store: EventStore) {}

  read(allianceId: string): Promise<AllianceTotals> {
    let known = this.known.get(allianceId);
    if (!known) this.known.set(allianceId, (known = { totals: NO_TOTALS, position: null, reading: Promise.resolve() }));
    const entry = known;
    const next = entry.reading.then(
      () => this.catchUp(allianceId, entry),
      () => this.catchUp(allianceId, entry),
    );
    entry.reading = next;
    return next;
  }

  private async catchUp(allianceId: string, known: Known): Promise<AllianceTotals> {
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
    return known.totals;
  }
}
