import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { base64url, exportJWK, exportSPKI, generateKeyPair, importJWK, JWK, JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { IDENTITY, Identity } from '../../src/access/identity/identity';
import { LOCAL_ISSUER } from '../../src/access/identity/local-issuer';
import { EVENT_STORE, EventStore, formatPosition } from '../../src/event-store/event-store.port';
import { startTestApp, TestApp } from '../support/test-app';
import { MEMBER_ALLIANCE, seedAlliances } from './access-fixtures';

/**
 * Credentials an attacker could make: each is refused with a bare 401, records nothing, and the
 * reason goes to the log only. Every forged token claims to be an administrator, so a token that
 * got through would certainly record the write it is tried on.
 */

const REFUSED_BODY = { statusCode: 401, code: 'unauthenticated', message: 'The credentials were not accepted; sign in again or use a fresh token', errors: [] };

interface Forger {
  kid: string;
  audience: string;
  publicJwk: JWK;
  publicPem: string;
  /** The local issuer's own private key, as read from the data directory. */
  sign(payload: JWTPayload, header?: Record<string, unknown>): Promise<string>;
  /** Claims a genuine token would carry, for an administrator. */
  claims(overrides?: JWTPayload): JWTPayload;
}

async function forgerFor(service: TestApp): Promise<Forger> {
  const issuer = service.app.get<Identity>(IDENTITY).local!.issuer;
  const privateJwk = JSON.parse(readFileSync(join(service.dataDir, 'auth', 'local-issuer.jwk.json'), 'utf8')) as JWK & { kid: string };
  const privateKey = await importJWK(privateJwk, 'EdDSA');
  const now = Math.floor(Date.now() / 1000);
  return {
    kid: issuer.keyId,
    audience: issuer.audience,
    publicJwk: await exportJWK(issuer.publicKey),
    publicPem: await exportSPKI(issuer.publicKey),
    sign: (payload, header = {}) => new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: issuer.keyId, ...header }).sign(privateKey),
    claims: (overrides = {}) => ({ iss: LOCAL_ISSUER, aud: issuer.audience, sub: 'mallory', ledger_admin: true, iat: now, nbf: now, exp: now + 600, jti: 'forged', ...overrides }),
  };
}

/** The write each forged credential is tried on: valid, so only the credential stands in its way. */
const WRITE = { command: 'RegisterScheme', data: { schemeId: 'FORGED', name: 'Recorded by a forged token' } };

describe('forged and foreign credentials', () => {
  let service: TestApp;
  let store: EventStore;
  let forger: Forger;
  let warn: jest.SpyInstance;

  const head = async () => {
    const position = await store.headPosition();
    return position ? formatPosition(position) : null;
  };
  const write = (authorization: string) =>
    fetch(`${service.url}/alliances/${MEMBER_ALLIANCE}/commands`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(WRITE) });

  beforeAll(async () => {
    service = await startTestApp();
    await seedAlliances(service.http);
    store = service.app.get<EventStore>(EVENT_STORE);
    forger = await forgerFor(service);
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterAll(async () => {
    warn.mockRestore();
    await service.close();
  });

  const bearer = (token: string) => `Bearer ${token}`;
  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ['alg: none', async () => bearer(new UnsecuredJWT(forger.claims()).encode()), /ALG_NOT_ALLOWED/],
    ['HS256 keyed with the public JWK', async () => bearer(await hmacSigned(forger, JSON.stringify(forger.publicJwk))), /ALG_NOT_ALLOWED/],
    ['HS256 keyed with the public key PEM', async () => bearer(await hmacSigned(forger, forger.publicPem)), /ALG_NOT_ALLOWED/],
    [
      'signed with another Ed25519 key under the same kid',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        return bearer(await new SignJWT(forger.claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: forger.kid }).sign(privateKey));
      },
      /SIGNATURE_VERIFICATION_FAILED/,
    ],
    ['another issuer', async () => bearer(await forger.sign(forger.claims({ iss: 'https://evil.example' }))), /"iss"/],
    ['another audience', async () => bearer(await forger.sign(forger.claims({ aud: 'some-other-service' }))), /"aud"/],
    ['expired', async () => bearer(await forger.sign(forger.claims({ iat: nowSeconds() - 7200, nbf: nowSeconds() - 7200, exp: nowSeconds() - 3600 }))), /EXPIRED/],
    ['not yet valid (nbf in the future)', async () => bearer(await forger.sign(forger.claims({ nbf: nowSeconds() + 3600, exp: nowSeconds() + 7200 }))), /"nbf"/],
    [
      'payload edited after signing',
      async () => {
        const [header, , signature] = (await forger.sign(forger.claims({ sub: 'mallory', ledger_admin: false }))).split('.');
        const edited = base64url.encode(JSON.stringify(forger.claims({ sub: 'mallory', ledger_admin: true })));
        return bearer(`${header}.${edited}.${signature}`);
      },
      /SIGNATURE_VERIFICATION_FAILED/,
    ],
    ['garbage', async () => bearer('not-a-token-at-all'), /ERR_JWS_INVALID/],
    ['a sign-in link used as a bearer token', async () => bearer(await service.app.get<Identity>(IDENTITY).local!.issuer.loginLinkToken({ subject: 'mallory', admin: true })), /"typ"/],
    ['Authorization: Basic', async () => `Basic ${Buffer.from('mallory:hunter2').toString('base64')}`, /not "Bearer <token>"/],
  ];

  it.each(cases)('%s: 401 with WWW-Authenticate, nothing recorded, the reason only in the log', async (_name, credential, reason) => {
    const before = await head();
    warn.mockClear();

    const response = await write(await credential());

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="alliance-ledger", error="invalid_token"');
    expect(await response.json()).toEqual(REFUSED_BODY);
    expect(await head()).toBe(before);
    const logged = warn.mock.calls.map(([entry]) => entry as { msg?: string; reason?: string }).filter((entry) => entry?.msg === 'authentication refused');
    expect(logged).toHaveLength(1);
    expect(logged[0].reason).toMatch(reason);
  });

  it('reads the scheme name in any case, as HTTP authentication schemes are (RFC 7235)', async () => {
    const token = await forger.sign(forger.claims({ sub: 'case-insensitive', ledger_admin: false }));
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await fetch(`${service.url}/auth/me`, { headers: { authorization: `${scheme} ${token}` } });
      expect([scheme, response.status]).toEqual([scheme, 200]);
    }
  });

  it('records the same write with a genuine token (so the refusals above are the credential’s)', async () => {
    const before = await head();
    const response = await write(bearer(await forger.sign(forger.claims())));
    expect(response.status).toBe(201);
    expect(await head()).not.toBe(before);
  });
});

describe('an address that keeps failing', () => {
  const LIMIT = 3;
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp({ env: { AUTH_FAILURE_LIMIT: String(LIMIT) } });
  });
  afterAll(() => service.close());

  const get = (headers: Record<string, string>) => fetch(`${service.url}/alliances`, { headers });

  it('is answered 429 with Retry-After past AUTH_FAILURE_LIMIT, even with good credentials, while /health still answers', async () => {
    // Asking without credentials is not a failed attempt: a browser that has not signed in is not throttled.
    for (let attempt = 0; attempt < LIMIT + 2; attempt++) expect((await get({})).status).toBe(401);
    for (let attempt = 0; attempt < LIMIT; attempt++) expect((await get({ authorization: 'Bearer not-a-token' })).status).toBe(401);

    const throttled = await get({ authorization: 'Bearer not-a-token' });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await throttled.json()).toMatchObject({ code: 'too_many_failures' });

    // Blocked: not even a valid token is checked until the block expires.
    expect((await get(await service.headersFor('alice', { admin: true }))).status).toBe(429);
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });
});

describe('guessing sign-in links', () => {
  const LIMIT = 3;
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp({ env: { AUTH_FAILURE_LIMIT: String(LIMIT) } });
  });
  afterAll(() => service.close());

  it('counts refused sign-in links with the same throttle as bad tokens', async () => {
    const link = (token: string) => fetch(`${service.url}/auth/login-link?token=${token}`, { redirect: 'manual' });
    for (let attempt = 0; attempt < LIMIT; attempt++) expect((await link(`guess-${attempt}`)).status).toBe(401);
    const throttled = await link('guess-again');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** HS256 with the issuer's public key as the HMAC secret: the classic algorithm-confusion attack. */
function hmacSigned(forger: Forger, publicKeyText: string): Promise<string> {
  return new SignJWT(forger.claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: forger.kid }).sign(new TextEncoder().encode(publicKeyText));
}
