import { createRemoteJWKSet, decodeJwt, JWTPayload, JWTVerifyGetKey, jwtVerify } from 'jose';
import { ACCESS_TOKEN_TYPE, LOCAL_ISSUER, LocalIssuer } from './local-issuer';
import { Principal } from './principal';

/** Asymmetric algorithms only: `none` and HMAC (HS256 signed with a public key) are never accepted. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** A refused credential. The reason is for the log; the client only hears 401. */
export class AuthenticationFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AuthenticationFailure';
  }
}

export interface BearerVerifier {
  readonly issuer: string;
  verify(token: string): Promise<Principal>;
}

function principalFrom(payload: JWTPayload, admin: boolean): Principal {
  const name = [payload.name, payload.preferred_username, payload.email].find((value) => typeof value === 'string') as string | undefined;
  return { subject: payload.sub!, name: name ?? null, admin, via: 'bearer' };
}

async function checked<T>(verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (error) {
    throw new AuthenticationFailure(`${(error as { code?: string }).code ?? 'ERR'}: ${(error as Error).message}`);
  }
}

/** The embedded default: tokens from `ledger token`, signed with the key in the data directory. */
export class LocalBearerVerifier implements BearerVerifier {
  readonly issuer = LOCAL_ISSUER;

  constructor(
    private readonly local: LocalIssuer,
    private readonly admins: ReadonlySet<string>,
  ) {}

  async verify(token: string): Promise<Principal> {
    const { payload } = await checked(() =>
      jwtVerify(token, this.local.publicKey, {
        issuer: LOCAL_ISSUER,
        audience: this.local.audience,
        algorithms: ['EdDSA'],
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['sub', 'exp'],
      }),
    );
    return principalFrom(payload, this.admins.has(payload.sub!) || payload.ledger_admin === true);
  }
}

/**
 * An external OpenID Connect provider: keys found by discovery, cached, and fetched again when a
 * token names a `kid` the cache does not hold, so the provider can rotate keys without a restart.
 */
export class OidcBearerVerifier implements BearerVerifier {
  private keys: Promise<JWTVerifyGetKey> | null = null;

  constructor(
    readonly issuer: string,
    private readonly audience: string,
    private readonly admins: ReadonlySet<string>,
    /** No JWKS fetch sooner than this after the last one, however many unknown `kid`s arrive. */
    private readonly jwksCooldownMs = 30_000,
  ) {}

  async verify(token: string): Promise<Principal> {
    const keys = await this.jwks();
    const { payload } = await checked(() =>
      jwtVerify(token, keys, { issuer: this.issuer, audience: this.audience, algorithms: ACCEPTED_ALGORITHMS, requiredClaims: ['sub', 'exp'], clockTolerance: 30 }),
    );
    // An ID token answers a sign-in (it echoes the sign-in's nonce); it is not an access token, even
    // where the provider gives both the same audience (one Entra app registration for pages and API).
    if (payload.nonce !== undefined) throw new AuthenticationFailure('an ID token (it carries a nonce) is not an access token');
    return principalFrom(payload, this.admins.has(payload.sub!));
  }

  private jwks(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      this.keys = discoverJwks(this.issuer, this.jwksCooldownMs).catch((error) => {
        this.keys = null; // the provider may be back on the next request
        throw error;
      });
    }
    return this.keys;
  }
}

/** The provider could not be reached or described itself wrongly: the ledger cannot check tokens (503). */
export class IdentityProviderUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityProviderUnavailable';
  }
}

async function discoverJwks(issuer: string, cooldownDuration: number): Promise<JWTVerifyGetKey> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let metadata: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    metadata = (await response.json()) as typeof metadata;
  } catch (error) {
    throw new IdentityProviderUnavailable(`OpenID discovery at ${url} failed: ${(error as Error).message}`);
  }
  if (metadata.issuer !== issuer) throw new IdentityProviderUnavailable(`OpenID discovery at ${url} names issuer ${String(metadata.issuer)}, not ${issuer}`);
  if (typeof metadata.jwks_uri !== 'string') throw new IdentityProviderUnavailable(`OpenID discovery at ${url} has no jwks_uri`);
  return createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration, cacheMaxAge: 10 * 60_000, timeoutDuration: 5000 });
}

/**
 * Remembers tokens already verified, byte for byte, until they expire or for at most five minutes,
 * so a dashboard polling with one token pays for the signature check once. A different byte is a
 * different key in the map, so nothing unverified is ever taken from it.
 */
export class VerifiedTokenCache implements BearerVerifier {
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly inner: BearerVerifier,
    private readonly capacity = 10_000,
    private readonly maxAgeMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get issuer(): string {
    return this.inner.issuer;
  }

  async verify(token: string): Promise<Principal> {
    const hit = this.verified.get(token);
    if (hit && hit.until > this.now()) return hit.principal;
    if (hit) this.verified.delete(token);
    const principal = await this.inner.verify(token);
    const expiresAt = expiryOf(token);
    if (expiresAt !== null) {
      if (this.verified.size >= this.capacity) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { principal, until: Math.min(expiresAt, this.now() + this.maxAgeMs) });
    }
    return principal;
  }
}

/** The `exp` of a token that has just been verified (so its payload is known to be well formed). */
function expiryOf(token: string): number | null {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}
