import { Injectable } from '@nestjs/common';
import { DomainError } from '../../shared/domain-error';

/** Replays that may fold an alliance's history at once; more would only share the CPU and multiply the memory. */
export const MAX_RUNNING_REPLAYS = 2;
/** Replays that may wait for a turn; beyond them a request is refused at once. */
export const MAX_WAITING_REPLAYS = 4;
const RETRY_AFTER_SECONDS = 5;

/** Refused because as many replays as the service allows are running or waiting: 503 with Retry-After. */
export class ReplayCapacityError extends DomainError {
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;

  constructor() {
    super('replays_busy', 'unavailable', `The service is already replaying ${MAX_RUNNING_REPLAYS} histories with ${MAX_WAITING_REPLAYS} waiting (asAt, explanations, certificate checks); retry in ${RETRY_AFTER_SECONDS} s`);
  }
}

/**
 * Bounds the heavy reads (asAt, explain, certificate checks) that replay an alliance's whole
 * history: a few run, a few queue in order, the rest are refused with 503 and Retry-After, so
 * memory stays bounded and ordinary reads keep their share of the event loop.
 */
@Injectable()
export class ReplayLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  async run<T>(replay: () => Promise<T>): Promise<T> {
    if (this.running >= MAX_RUNNING_REPLAYS) {
      if (this.waiting.length >= MAX_WAITING_REPLAYS) throw new ReplayCapacityError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await replay();
    } finally {
      const next = this.waiting.shift();
      // The turn passes straight to the next waiter, so `running` never drops below what runs.
      if (next) next();
      else this.running -= 1;
    }
  }
}
