import { decodeProtectedHeader, UnsecuredJWT } from 'jose';
import { CookieJar, OidcProvider, startOidcProvider } from '../support/oidc-provider';
import { freePort } from '../support/service-process';
import { importNdjson, startTestApp, TestApp } from '../support/test-app';
import { CERTIFIED_QUARTER } from './access-fixtures';

/**
 * The ledger against a real OpenID provider (oidc-provider, in process): tokens found by discovery
 * and JWKS, keys rotated under a running ledger, foreign tokens refused, and the pages' sign-in by
 * authorization code + PKCE from the first redirect to sign-out.
 */

const ALLIANCE = 'oidc-alliance';
const ADMIN = 'admin@org.example';
const AUDITOR = 'auditor@org.example';
/** Signs in to the pages; an auditor of the alliance. */
const READER = 'reader@org.example';

interface Ledger {
  service: TestApp;
  url: string;
}

/** The ledger trusting `provider`, with its pages as the provider's client; on `port` when given, else on any free one. */
async function startLedger(provider: OidcProvider, publicUrl: string, port?: number): Promise<Ledger> {
  const service = await startTestApp({
    env: {
      ...(port === undefined ? {} : { PORT: String(port) }),
      AUTH_ISSUER: provider.issuer,
      AUTH_AUDIENCE: provider.audience,
      AUTH_CLIENT_ID: provider.clientId,
      AUTH_CLIENT_SECRET: provider.clientSecret!,
      PUBLIC_URL: publicUrl,
      LEDGER_ADMINS: `test-admin,${ADMIN}`,
      AUTH_JWKS_COOLDOWN_MS: '0',
    },
    tokens: (subject) => provider.mintAccessToken({ sub: subject }),
  });
  return { service, url: service.url };
}

/**
 * The ledger at its own address: its PUBLIC_URL and the provider's redirect URIs name the port, so
 * the port is chosen before the ledger listens, and chosen again if another process took it meanwhile.
 */
async function startLedgerAtItsOwnUrl(provider: OidcProvider, alsoRedirectTo: string): Promise<Ledger> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await provider.registerRedirectUris({
      redirectUris: [`${url}/auth/callback`, `${alsoRedirectTo}/auth/callback`],
      postLogoutRedirectUris: [`${url}/auth/sign-in`, `${alsoRedirectTo}/auth/sign-in`],
    });
    try {
      return await startLedger(provider, url, port);
    } catch (error) {
      if (attempt < 3 && (error as { code?: unknown }).code === 'EADDRINUSE') continue;
      throw error;
    }
  }
}

/** Set-Cookie lines for one cookie name, parsed into name, value and lower-cased attributes. */
function cookieNamed(setCookie: string[], name: string) {
  const line = setCookie.find((candidate) => candidate.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';').map((part) => part.trim());
  return { value: pair.slice(name.length + 1), attributes: attributes.map((attribute) => attribute.toLowerCase()) };
}

describe('an external OpenID provider', () => {
  let provider: OidcProvider;
  let ledger: Ledger;
  /** A second ledger whose PUBLIC_URL is https (behind a TLS proxy), to see its cookies marked Secure. */
  let httpsLedger: Ledger;
  const HTTPS_PUBLIC_URL = 'https://ledger.invalid';

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${ledger.url}${path}`, { headers, redirect: 'manual' });
  const asBearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    provider = await startOidcProvider();
    ledger = await startLedgerAtItsOwnUrl(provider, HTTPS_PUBLIC_URL);
    // Its public URL names no port of this machine: it listens on any free one.
    httpsLedger = await startLedger(provider, HTTPS_PUBLIC_URL);
    const admin = await ledger.service.as(ADMIN);
    await importNdjson(admin, ALLIANCE, CERTIFIED_QUARTER).expect(200);
    await admin.post(`/alliances/${ALLIANCE}/access/grants`).send({ subject: READER, role: 'auditor' }).expect(201);
  });
  afterAll(async () => {
    await ledger?.service.close();
    await httpsLedger?.service.close();
    await provider?.stop();
  });

  describe('bearer tokens for the API', () => {
    it('accepts a provider-issued token, found by discovery and JWKS; its sub is the actor of what it records', async () => {
      const admin = await ledger.service.as(ADMIN);
      await admin.put(`/alliances/${ALLIANCE}/schemes/C`).send({ name: 'Scheme C' }).expect(201);

      const { body } = await admin.get(`/alliances/${ALLIANCE}/events?limit=1000`).expect(200);
      const recorded = body.events.filter((event: { type: string; data: { schemeId?: string } }) => event.type === 'SchemeRegistered' && event.data.schemeId === 'C');
      expect(recorded).toHaveLength(1);
      expect(recorded[0].metadata.actor).toBe(ADMIN);
      // Everything the import in beforeAll recorded, with the same kind of token, names the same subject.
      expect(new Set(body.events.map((event: { metadata: { actor: string } }) => event.metadata.actor))).toEqual(new Set([ADMIN]));
    });

    it('lets a subject read once an administrator grants them a role, and not before', async () => {
      const token = await provider.mintAccessToken({ sub: AUDITOR, name: 'Audrey Auditor' });
      const before = await get(`/alliances/${ALLIANCE}`, asBearer(token));
      expect(before.status).toBe(404);
      expect(await before.json()).toMatchObject({ code: 'alliance_not_found' });

      const admin = await ledger.service.as(ADMIN);
      await admin.post(`/alliances/${ALLIANCE}/access/grants`).send({ subject: AUDITOR, role: 'auditor' }).expect(201);

      expect((await get(`/alliances/${ALLIANCE}`, asBearer(token))).status).toBe(200);
      expect((await get(`/alliances/${ALLIANCE}/periods/2026-Q1/statements/S1`, asBearer(token))).status).toBe(200);
      // An auditor reads; recording a fact is not theirs.
      const write = await fetch(`${ledger.url}/alliances/${ALLIANCE}/schemes/B`, { method: 'PUT', headers: { ...asBearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Scheme B' }) });
      expect(write.status).toBe(403);
      const { body: access } = await admin.get(`/alliances/${ALLIANCE}/access`).expect(200);
      expect(JSON.stringify(access)).toContain(AUDITOR);
    });

    it('accepts tokens signed with a rotated key without restarting the ledger', async () => {
      const admin = await ledger.service.as(ADMIN);
      await admin.get(`/alliances/${ALLIANCE}`).expect(200);
      const oldKid = provider.currentKid();

      const newKid = await provider.rotateKeys({ retireOldKeys: true });
      const token = await provider.mintAccessToken({ sub: ADMIN });

      expect(newKid).not.toBe(oldKid);
      expect(decodeProtectedHeader(token).kid).toBe(newKid);
      expect((await get(`/alliances/${ALLIANCE}`, asBearer(token))).status).toBe(200);
    });

    it('refuses a token from another provider, even for a subject the ledger knows', async () => {
      const other = await startOidcProvider({ audience: provider.audience });
      try {
        const response = await get(`/alliances/${ALLIANCE}`, asBearer(await other.mintAccessToken({ sub: ADMIN })));
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      } finally {
        await other.stop();
      }
    });

    it('refuses a token of this provider for another audience', async () => {
      const response = await get(`/alliances/${ALLIANCE}`, asBearer(await provider.mintAccessToken({ sub: ADMIN, aud: 'https://other-api.example' })));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    });

    it('refuses a token that echoes a sign-in nonce (an ID token), though signed by the provider for the ledger’s audience', async () => {
      const token = await provider.mintAccessToken({ sub: ADMIN, claims: { nonce: 'from-a-sign-in' } });
      expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).nonce).toBe('from-a-sign-in');
      expect((await get(`/alliances/${ALLIANCE}`, asBearer(token))).status).toBe(401);
      expect((await get(`/alliances/${ALLIANCE}`, asBearer(await provider.mintAccessToken({ sub: ADMIN })))).status).toBe(200);
    });

    it('refuses an unsigned token naming the provider’s key', async () => {
      const now = Math.floor(Date.now() / 1000);
      const unsigned = new UnsecuredJWT({ iss: provider.issuer, aud: provider.audience, sub: ADMIN, iat: now, exp: now + 600 }).encode();
      const [, payload] = unsigned.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', kid: provider.currentKid() })).toString('base64url');
      expect((await get(`/alliances/${ALLIANCE}`, asBearer(`${header}.${payload}.`))).status).toBe(401);
    });
  });

  describe('the pages: authorization code + PKCE', () => {
    const signIn = (subject = READER, options: { stopAt?: (url: URL) => boolean } = {}) =>
      provider.signIn(`${ledger.url}/auth/sign-in?returnTo=/`, { subject, claims: { name: 'Audrey Auditor' }, ...options });

    it('signs in end to end: the callback sets an HttpOnly, SameSite=Lax session that reads /auth/me and the pages', async () => {
      const result = await signIn();

      expect(new URL(result.url).pathname).toBe('/auth/callback');
      expect(result.status).toBe(303);
      expect(result.location).toBe('/');
      const session = cookieNamed(result.setCookie, 'ledger_session')!;
      expect(session.value.length).toBeGreaterThan(20);
      expect(session.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
      expect(session.attributes).not.toContain('secure');
      // The pending sign-in is spent: its cookie is cleared.
      expect(cookieNamed(result.setCookie, 'ledger_sign_in')?.attributes.some((attribute) => attribute.startsWith('expires=thu, 01 jan 1970'))).toBe(true);

      const cookie = { cookie: `ledger_session=${session.value}` };
      const me = await get('/auth/me', cookie);
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ subject: READER, name: 'Audrey Auditor', admin: false, via: 'session' });
      const alliancePage = await get(`/ui/alliances/${ALLIANCE}`, cookie);
      expect(alliancePage.status).toBe(200);
      expect(await alliancePage.text()).toContain('Access test alliance');
    });

    it('marks the session cookie Secure when PUBLIC_URL is https', async () => {
      const jar = new CookieJar();
      const callback = await provider.signIn(`${httpsLedger.url}/auth/sign-in?returnTo=/`, { subject: READER, jar, stopAt: (url) => url.origin === HTTPS_PUBLIC_URL });
      const callbackUrl = new URL(callback.location!);
      expect(callbackUrl.pathname).toBe('/auth/callback');

      // The TLS proxy would forward https://ledger.invalid/auth/callback?… to the ledger as is.
      const local = new URL(`${callbackUrl.pathname}${callbackUrl.search}`, httpsLedger.url);
      const response = await fetch(local, { headers: { cookie: jar.headerFor(local) }, redirect: 'manual' });

      expect(response.status).toBe(303);
      const session = cookieNamed(response.headers.getSetCookie(), 'ledger_session')!;
      expect(session.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'secure']));
    });

    describe('a callback that is not the one this browser started', () => {
      /** A sign-in walked to the provider's redirect back to the ledger, with the code not yet spent. */
      const toCallback = async () => {
        const jar = new CookieJar();
        const result = await provider.signIn(`${ledger.url}/auth/sign-in?returnTo=/`, { subject: READER, jar, stopAt: (url) => url.origin === ledger.url && url.pathname === '/auth/callback' });
        const url = new URL(result.location!);
        return { url, pending: jar.get('ledger_sign_in')! };
      };
      const callback = (url: URL, cookie?: string) => fetch(url, { headers: cookie ? { cookie: `ledger_sign_in=${cookie}` } : {}, redirect: 'manual' });

      const expectRefused = async (response: Response) => {
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ code: 'sign_in_failed' });
        expect(cookieNamed(response.headers.getSetCookie(), 'ledger_session')).toBeUndefined();
      };

      it('without the pending sign-in cookie: 400 sign_in_failed', async () => {
        const { url } = await toCallback();
        await expectRefused(await callback(url));
      });

      it('with the pending cookie tampered with: 400 sign_in_failed', async () => {
        const { url, pending } = await toCallback();
        const [header, payload, signature] = pending.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { pending: { returnTo: string } };
        claims.pending.returnTo = '/ui/elsewhere';
        const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
        await expectRefused(await callback(url, tampered));
      });

      it('with the pending cookie of another sign-in (state, nonce and PKCE verifier not this one’s): 400 sign_in_failed', async () => {
        const [first, second] = [await toCallback(), await toCallback()];
        await expectRefused(await callback(first.url, second.pending));
        // The real pair still completes: the refusal was about the mismatch.
        expect((await callback(second.url, second.pending)).status).toBe(303);
      });
    });

    it('signs out with the page’s CSRF token: the session is cleared and the browser sent to the provider’s end-session URL', async () => {
      const result = await signIn();
      const cookie = `ledger_session=${cookieNamed(result.setCookie, 'ledger_session')!.value}`;
      const home = await (await get('/', { cookie })).text();
      const csrf = /<form[^>]* action="\/auth\/sign-out"[^>]*><input type="hidden" name="_csrf" value="([^"]+)"/.exec(home)?.[1];
      expect(csrf).toBeDefined();

      const response = await fetch(`${ledger.url}/auth/sign-out`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf! }).toString(),
        redirect: 'manual',
      });

      expect(response.status).toBe(303);
      const endSession = new URL(response.headers.get('location')!);
      expect(`${endSession.origin}${endSession.pathname}`).toBe(`${provider.issuer}/session/end`);
      expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${ledger.url}/auth/sign-in`);
      const idToken = endSession.searchParams.get('id_token_hint')!;
      expect(idToken).toMatch(/^eyJ/);
      // The pages' ID token is for the pages' client, not the API's audience: no use as a bearer token.
      expect((await get('/auth/me', asBearer(idToken))).status).toBe(401);
      const cleared = cookieNamed(response.headers.getSetCookie(), 'ledger_session')!;
      expect(cleared.value).toBe('');
      expect(cleared.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
      // A browser that drops the cookie is sent to sign in again.
      const after = await get('/');
      expect(after.status).toBe(303);
      expect(after.headers.get('location')).toBe('/auth/sign-in?returnTo=%2F');
    });

    it('refuses a sign-out without the CSRF token: 403 csrf_failed, the session left as it was', async () => {
      const result = await signIn();
      const cookie = `ledger_session=${cookieNamed(result.setCookie, 'ledger_session')!.value}`;

      const response = await fetch(`${ledger.url}/auth/sign-out`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });

      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'csrf_failed' });
      expect(cookieNamed(response.headers.getSetCookie(), 'ledger_session')).toBeUndefined();
      expect((await get('/auth/me', { cookie })).status).toBe(200);
    });
  });
});
