import { randomUUID } from 'node:crypto';
import { formatPosition, Position } from '../../event-store/event-store.port';

/**
 * Names the state of one alliance's read models, for ETags and for caching what was read from
 * them. A version is a log position p such that the rows hold exactly the alliance's events at or
 * before p: the position of the last event of the alliance this instance applied, or, when it does
 * not know that (after a restart, a rebuild elsewhere, a failed batch), the checkpoint itself.
 * Either way two reads with the same version read the same rows. The instance's start-up id is
 * part of it, so a version never outlives a change of code or a rebuild.
 */
export class ReadModelVersions {
  private readonly instance = randomUUID().slice(0, 8);
  private readonly lastApplied = new Map<string, Position>();

  /** After a batch committed: the alliance's rows now hold its events up to `position`. */
  applied(allianceId: string, position: Position): void {
    this.lastApplied.set(allianceId, position);
  }

  /** After a failed batch or a rebuild: what this instance knew can no longer be trusted. */
  forgetAll(): void {
    this.lastApplied.clear();
  }

  /** The alliance's version, given the checkpoint the rows were read at (null before any event). */
  of(allianceId: string, checkpoint: Position | null | undefined): string | null {
    const position = this.lastApplied.get(allianceId) ?? checkpoint;
    return position ? `${this.instance}-${formatPosition(position)}` : null;
  }
}
