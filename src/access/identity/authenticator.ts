import { DomainError } from '../../shared/domain-error';
import type { AuthenticatedRequest } from '../route-access';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { ExpiringIds } from './expiring-ids';
import { Principal } from './principal';
import { readCookie, SESSION_COOKIE, Session, SessionKeys } from './sessions';
import { AuthenticationFailure, BearerVerifier } from './token-verifier';

export const AUTHENTICATOR = Symbol('Authenticator');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function unauthenticated(message: string): DomainError {
  return new DomainError('unauthenticated', 'unauthenticated', message);
}

/**
 * Finds who is asking: a bearer token (the API), or a pages session cookie. A session may change
 * state only with the CSRF token of its own forms. Bad credentials are logged with their reason
 * and answered with a bare 401; an address that keeps failing is throttled.
 */
export class Authenticator {
  constructor(
    readonly bearer: BearerVerifier,
    readonly sessions: SessionKeys,
    private readonly admins: ReadonlySet<string>,
    private readonly throttle: AuthFailureThrottle,
    private readonly onFailure: (reason: string, request: AuthenticatedRequest) => void,
    /** Sessions signed out before they expired: a copy of the cookie kept elsewhere no longer works. */
    private readonly signedOut: ExpiringIds,
  ) {}

  /** The caller, or an `unauthenticated` refusal (401) when there are no usable credentials. */
  async authenticate(request: AuthenticatedRequest): Promise<Principal> {
    return this.guarded(request, () => this.identify(request), 'The credentials were not accepted; sign in again or use a fresh token');
  }

  /**
   * Runs a credential check under the failure throttle: a blocked address is refused (429) before
   * anything is checked, and an AuthenticationFailure is logged, counted and answered 401.
   */
  async guarded<T>(request: AuthenticatedRequest, check: () => Promise<T>, refusal: string): Promise<T> {
    const client = request.ip ?? 'unknown';
    const blockedMs = this.throttle.blockedFor(client);
    if (blockedMs > 0) throw tooManyFailures(blockedMs);
    try {
      return await check();
    } catch (error) {
      if (!(error instanceof AuthenticationFailure)) throw error;
      this.onFailure(error.reason, request);
      const blockedFor = await this.throttle.recordFailure(client);
      if (blockedFor > 0) throw tooManyFailures(blockedFor);
      throw unauthenticated(refusal);
    }
  }

  /** The pages' session, if the request carries a valid one (no CSRF check: for reading only). */
  async session(request: AuthenticatedRequest): Promise<Session | null> {
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    return cookie ? this.liveSession(cookie) : null;
  }

  /** Ends a session for good, whoever still holds its cookie. */
  signOut(session: Session): void {
    this.signedOut.add(session.sessionId, session.expiresAt);
  }

  private async liveSession(cookie: string): Promise<Session | null> {
    const session = await this.sessions.readSession(cookie, this.admins);
    return session && !this.signedOut.has(session.sessionId) ? session : null;
  }

  private async identify(request: AuthenticatedRequest): Promise<Principal> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      // The scheme is case-insensitive (RFC 7235 §2.1): "bearer" and "BEARER" are the same scheme.
      const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i.exec(header.trim());
      if (!match) throw new AuthenticationFailure('Authorization header is not "Bearer <token>"');
      return this.bearer.verify(match[1]);
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (cookie === undefined) throw unauthenticated('Sign in: send Authorization: Bearer <token> (see `ledger token`), or sign in to the pages');
    const session = await this.liveSession(cookie);
    if (!session) throw new AuthenticationFailure('session cookie is forged, expired or signed out');
    request.csrfToken = this.sessions.csrfToken(session.sessionId);
    if (!SAFE_METHODS.has(request.method)) {
      const body = request.body as Record<string, unknown> | undefined;
      const given = request.headers['x-csrf-token'] ?? (body && typeof body === 'object' ? body._csrf : undefined);
      if (!this.sessions.checkCsrf(session.sessionId, given)) {
        throw new DomainError('csrf_failed', 'forbidden', 'This form is out of date or came from another site; reload the page and try again');
      }
    }
    return { subject: session.subject, name: session.name, admin: session.admin, via: 'session' };
  }
}

/** 429, with Retry-After (the filter reads `retryAfterSeconds`). */
class TooManyFailures extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('too_many_failures', 'throttled', `Too many failed authentications from this address; try again in ${retryAfterSeconds} s`);
  }
}

function tooManyFailures(blockedMs: number): DomainError {
  return new TooManyFailures(Math.max(1, Math.ceil(blockedMs / 1000)));
}
