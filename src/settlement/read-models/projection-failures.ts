import { Logger } from '@nestjs/common';
import { formatPosition, StoredEvent } from '../../event-store/event-store.port';

const MAX_RETRY_DELAY_MS = 5000;

/** The event the projection could not apply, and why; cleared once it applies. */
export interface ProjectionFailure {
  /** Null when the failure was not an event's (the event store could not be read). */
  event: { streamName: string; revision: string; position: string; type: string; eventId: string } | null;
  error: string;
  /** When the projection first failed, and how many times it has tried since. */
  since: string;
  attempts: number;
  nextAttemptAt: string;
}

/** How far the read models are behind the event store. */
export interface ReadModelFreshness {
  /** The position of the last event in the read models. */
  checkpoint: string | null;
  /** current: every ledger event is in; behind: some are not yet; failing: the projection is stuck on one; unknown: the store did not answer. */
  status: 'current' | 'behind' | 'failing' | 'unknown';
  /** Whole seconds since the oldest event not yet in the read models was recorded; 0 when current, null when unknown. */
  lagSeconds: number | null;
}

/** What the projection is stuck on, if anything, and the back-off before its next attempt. */
export class ProjectionFailures {
  current: ProjectionFailure | null = null;

  constructor(private readonly logger: Logger) {}

  /** Records the failure and returns how long to wait before trying again. */
  failed(event: StoredEvent | null, error: unknown): number {
    const attempts = (this.current?.attempts ?? 0) + 1;
    const delayMs = Math.min(200 * 2 ** attempts, MAX_RETRY_DELAY_MS);
    const message = error instanceof Error ? error.message : String(error);
    this.current = {
      event: event && { streamName: event.streamName, revision: event.revision.toString(), position: formatPosition(event.position), type: event.type, eventId: event.id },
      error: message,
      since: this.current?.since ?? new Date().toISOString(),
      attempts,
      nextAttemptAt: new Date(Date.now() + delayMs).toISOString(),
    };
    const where = event ? `at ${event.type} ${event.streamName}@${event.revision} (position ${formatPosition(event.position)})` : 'reading the event store';
    this.logger.error(`Settlement projection failed ${where}: ${message}; attempt ${attempts}, retrying in ${delayMs} ms from its checkpoint`);
    return delayMs;
  }

  recovered(): void {
    if (!this.current) return;
    this.logger.log(`Settlement projection recovered after ${this.current.attempts} failed attempt(s)`);
    this.current = null;
  }
}
