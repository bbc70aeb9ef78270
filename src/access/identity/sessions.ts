import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { readOrCreateSecret } from './key-files';
import { Principal } from './principal';

export const SESSION_COOKIE = 'ledger_session';
export const PENDING_SIGN_IN_COOKIE = 'ledger_sign_in';
const SESSION_ISSUER = 'urn:alliance-ledger:session';
const ALG = 'HS256';

export interface Session extends Principal {
  sessionId: string;
  /** The provider's ID token, kept for RP-initiated sign-out (OpenID only). */
  idTokenHint: string | null;
  /** When the session ends by itself, in seconds since the epoch. */
  expiresAt: number;
}

/**
 * The pages' sessions: a short JWT in an HttpOnly cookie, signed (HMAC) with a secret of the
 * ledger's own — AUTH_SESSION_SECRET, or a random key made once in the data directory. Form posts
 * carry a CSRF token derived from the session id with the same secret.
 */
export class SessionKeys {
  private constructor(private readonly secret: Buffer) {}

  static open(dataDir: string, configured: string | undefined): SessionKeys {
    const text = configured ?? readOrCreateSecret(join(dataDir, 'auth', 'session.key'), () => randomBytes(32).toString('base64url'));
    return new SessionKeys(Buffer.from(text, 'utf8'));
  }

  async seal(payload: Record<string, unknown>, audience: string, ttlSeconds: number): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: ALG }).setIssuer(SESSION_ISSUER).setAudience(audience).setIssuedAt().setExpirationTime(`${ttlSeconds}s`).sign(this.secret);
  }

  /** The payload, or null when the cookie is forged, expired or for another purpose. */
  async open(token: string, audience: string): Promise<Record<string, unknown> | null> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: SESSION_ISSUER, audience, algorithms: [ALG] });
      return payload as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  async startSession(principal: Omit<Principal, 'via'>, idTokenHint: string | null, ttlSeconds: number): Promise<string> {
    return this.seal(
      { sub: principal.subject, name: principal.name, admin: principal.admin, sid: randomBytes(16).toString('base64url'), ...(idTokenHint ? { idt: idTokenHint } : {}) },
      'session',
      ttlSeconds,
    );
  }

  async readSession(token: string, admins: ReadonlySet<string>): Promise<Session | null> {
    const payload = await this.open(token, 'session');
    if (!payload || typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return null;
    return {
      subject: payload.sub,
      name: typeof payload.name === 'string' ? payload.name : null,
      admin: payload.admin === true || admins.has(payload.sub),
      via: 'session',
      sessionId: payload.sid,
      idTokenHint: typeof payload.idt === 'string' ? payload.idt : null,
      expiresAt: payload.exp,
    };
  }

  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.secret).update(`csrf\n${sessionId}`).digest('base64url');
  }

  checkCsrf(sessionId: string, given: unknown): boolean {
    if (typeof given !== 'string') return false;
    const expected = Buffer.from(this.csrfToken(sessionId));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

/** The value of one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
