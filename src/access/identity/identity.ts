import { Logger } from '@nestjs/common';
import { AuthConfig } from '../../config/app-config';
import { requestPath } from '../../http/request-path';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { ExpiringIds } from './expiring-ids';
import { Authenticator } from './authenticator';
import { LocalIssuer } from './local-issuer';
import { SessionKeys } from './sessions';
import { LocalBearerVerifier, OidcBearerVerifier, VerifiedTokenCache } from './token-verifier';
import { UsedLinks } from './used-links';

export const IDENTITY = Symbol('Identity');

/** How this service knows people: one issuer at a time, and the pages' sessions. */
export interface Identity {
  config: AuthConfig;
  authenticator: Authenticator;
  sessions: SessionKeys;
  /** The embedded default's issuer; null when AUTH_ISSUER names an external provider. */
  local: { issuer: LocalIssuer; usedLinks: UsedLinks } | null;
  close(): void;
}

export async function openIdentity(config: AuthConfig, dataDir: string): Promise<Identity> {
  const logger = new Logger('Authentication');
  const sessions = SessionKeys.open(dataDir, config.sessionSecret ?? undefined);
  const throttle = new AuthFailureThrottle(config.failureLimitPerMinute);
  const local = config.issuer === null ? { issuer: await LocalIssuer.open(dataDir, config.audience), usedLinks: new UsedLinks(dataDir) } : null;
  const bearer = new VerifiedTokenCache(
    local ? new LocalBearerVerifier(local.issuer, config.admins) : new OidcBearerVerifier(config.issuer!, config.audience, config.admins, config.jwksCooldownMs),
  );
  const authenticator = new Authenticator(
    bearer,
    sessions,
    config.admins,
    throttle,
    (reason, request) => logger.warn({ msg: 'authentication refused', reason, method: request.method, path: requestPath(request), client: request.ip }),
    new ExpiringIds(dataDir, 'signed-out-sessions'),
  );
  return { config, authenticator, sessions, local, close: () => throttle.close() };
}
