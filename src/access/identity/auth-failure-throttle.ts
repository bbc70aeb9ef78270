import { ThrottlerStorageService } from '@nestjs/throttler';

const THROTTLER = 'authentication-failures';

/**
 * Counts failed authentications per client address; past the limit within a minute the address is
 * refused (429) for a minute without its credentials being checked at all.
 */
export class AuthFailureThrottle {
  private readonly storage = new ThrottlerStorageService();

  constructor(private readonly limitPerMinute: number) {}

  /** Milliseconds until the address may try again, or 0 when it is not blocked. */
  blockedFor(client: string): number {
    const record = this.storage.storage.get(client);
    if (!record?.isBlocked) return 0;
    return Math.max(0, record.blockExpiresAt - Date.now());
  }

  async recordFailure(client: string): Promise<number> {
    const record = await this.storage.increment(client, 60_000, this.limitPerMinute, 60_000, THROTTLER);
    return record.isBlocked ? record.timeToBlockExpire * 1000 : 0;
  }

  close(): void {
    this.storage.onApplicationShutdown();
  }
}
