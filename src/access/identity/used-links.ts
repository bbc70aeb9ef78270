import { ExpiringIds } from './expiring-ids';

/** The sign-in links already used, until they expire, so a link works once even across a restart. */
export class UsedLinks {
  private readonly used: ExpiringIds;

  constructor(dataDir: string) {
    this.used = new ExpiringIds(dataDir, 'used-login-links');
  }

  /** Whether the link was used already (its confirmation page is not shown again). */
  wasClaimed(id: string): boolean {
    return this.used.has(id);
  }

  /** True the first time a link id is seen; false for a link used before. */
  claim(id: string, expiresAt: number): boolean {
    return this.used.add(id, expiresAt);
  }
}
