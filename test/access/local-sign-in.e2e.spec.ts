import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, JWK, SignJWT } from 'jose';
import { IDENTITY, Identity } from '../../src/access/identity/identity';
import { LOCAL_ISSUER, LOGIN_LINK_TYPE } from '../../src/access/identity/local-issuer';
import { startTestApp, TestApp } from '../support/test-app';
import { MEMBER_ALLIANCE, ROLE_HOLDERS, seedAlliances } from './access-fixtures';

/** The embedded default: sign-in links from the local issuer, the session they start, and the files that hold its secrets. */

const OWN_PARTNER = ROLE_HOLDERS.find((holder) => holder.partnerId === 'S1')!;

describe('the local issuer and the pages’ sessions', () => {
  let dataDir: string;
  let service: TestApp;
  let identity: Identity;

  const link = async (subject: string) => `/auth/login-link?token=${await identity.local!.issuer.loginLinkToken({ subject })}`;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers, redirect: 'manual' });
  const sessionCookie = (response: Response) => {
    const line = response.headers.getSetCookie().find((candidate) => candidate.startsWith('ledger_session='));
    return line?.split(';')[0];
  };

  beforeAll(async () => {
    // Made more open than the service wants it: it must tighten the folder itself.
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-local-sign-in-'));
    chmodSync(dataDir, 0o755);
    service = await startTestApp({ dataDir });
    identity = service.app.get<Identity>(IDENTITY);
    await seedAlliances(service.http);
  });
  afterAll(async () => {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a sign-in link works once: it starts an HttpOnly, SameSite=Lax session, and a second use is 401', async () => {
    const url = await link(OWN_PARTNER.subject);

    const first = await get(url);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const line = first.headers.getSetCookie().find((candidate) => candidate.startsWith('ledger_session='))!;
    expect(line.toLowerCase()).toEqual(expect.stringContaining('httponly'));
    expect(line.toLowerCase()).toEqual(expect.stringContaining('samesite=lax'));
    expect(line.toLowerCase()).not.toContain('secure'); // PUBLIC_URL defaults to http://localhost

    const second = await get(url);
    expect(second.status).toBe(401);
    expect(sessionCookie(second)).toBeUndefined();
  });

  it('the session then reads /auth/me and the pages its roles allow, and not others', async () => {
    const cookie = sessionCookie(await get(await link(OWN_PARTNER.subject)))!;

    const me = await get('/auth/me', { cookie });
    expect(await me.json()).toEqual({ subject: OWN_PARTNER.subject, name: null, admin: false, via: 'session' });
    const home = await get('/', { cookie });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(`/ui/alliances/${MEMBER_ALLIANCE}`);
    expect((await get(`/ui/alliances/${MEMBER_ALLIANCE}/periods/2026-Q1/partners/S1`, { cookie })).status).toBe(200);
    expect((await get(`/ui/alliances/${MEMBER_ALLIANCE}/periods/2026-Q1/partners/S2`, { cookie })).status).toBe(403);
  });

  it('refuses an expired link, and an access token offered as a link', async () => {
    const privateJwk = JSON.parse(readFileSync(join(dataDir, 'auth', 'local-issuer.jwk.json'), 'utf8')) as JWK & { kid: string };
    const key = await importJWK(privateJwk, 'EdDSA');
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', typ: LOGIN_LINK_TYPE, kid: privateJwk.kid })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(identity.local!.issuer.audience)
      .setSubject(OWN_PARTNER.subject)
      .setIssuedAt(past - 600)
      .setExpirationTime(past)
      .setJti('expired-link')
      .sign(key);
    const accessToken = await identity.local!.issuer.accessToken({ subject: OWN_PARTNER.subject, expiresIn: 600 });

    for (const token of [expired, accessToken]) {
      const response = await get(`/auth/login-link?token=${token}`);
      expect(response.status).toBe(401);
      expect(sessionCookie(response)).toBeUndefined();
    }
  });

  it('sends a forged session cookie to sign in, as if there were none', async () => {
    const forged = await new SignJWT({ sub: 'test-admin', sid: 'forged', admin: true })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('urn:alliance-ledger:session')
      .setAudience('session')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not the ledger’s session secret, but long enough'));

    const page = await get(`/ui/alliances/${MEMBER_ALLIANCE}`, { cookie: `ledger_session=${forged}` });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/auth/sign-in?returnTo=${encodeURIComponent(`/ui/alliances/${MEMBER_ALLIANCE}`)}`);
    expect((await get('/auth/me', { cookie: `ledger_session=${forged}` })).status).toBe(401);
  });

  it('ends a session on sign-out for whoever kept a copy of its cookie, also after a restart', async () => {
    const cookie = sessionCookie(await get(await link(OWN_PARTNER.subject)))!;
    const other = sessionCookie(await get(await link(OWN_PARTNER.subject)))!;
    const home = await (await get('/', { cookie })).text();
    const csrf = /<form[^>]* action="\/auth\/sign-out"[^>]*><input type="hidden" name="_csrf" value="([^"]+)"/.exec(home)?.[1];
    expect(csrf).toBeDefined();
    const signedOut = await fetch(`${service.url}/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf! }).toString(),
      redirect: 'manual',
    });
    expect(signedOut.status).toBe(303);

    // A copy of the cookie (another tab, a stolen one) is sent to sign in, as if there were none.
    expect((await get('/auth/me', { cookie })).status).toBe(401);
    const page = await get(`/ui/alliances/${MEMBER_ALLIANCE}`, { cookie });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/auth\/sign-in/);
    // Only that session ended: the same person's other session goes on.
    expect((await get('/auth/me', { cookie: other })).status).toBe(200);

    await service.close();
    service = await startTestApp({ dataDir });
    identity = service.app.get<Identity>(IDENTITY);
    expect((await get('/auth/me', { cookie })).status).toBe(401);
    expect((await get('/auth/me', { cookie: other })).status).toBe(200);
  });

  it('keeps its secrets owner-only: the data and auth folders 0700, the key files 0600', () => {
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'auth'))).toBe(0o700);
    for (const file of ['local-issuer.jwk.json', 'session.key', 'used-login-links', 'signed-out-sessions']) expect([file, mode(join(dataDir, 'auth', file))]).toEqual([file, 0o600]);
  });

  it('remembers a used link across a restart', async () => {
    const url = await link('restart@alliance.example');
    expect((await get(url)).status).toBe(303);
    await service.close();
    service = await startTestApp({ dataDir });
    identity = service.app.get<Identity>(IDENTITY);

    expect((await get(url)).status).toBe(401);
    expect((await get(await link('restart@alliance.example'))).status).toBe(303);
  });
});

describe('key files made under a loose umask', () => {
  it('are still owner-only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-umask-'));
    const previous = process.umask(0o000);
    try {
      mkdirSync(join(dataDir, 'auth'), { mode: 0o777 });
      const service = await startTestApp({ dataDir });
      await service.close();
    } finally {
      process.umask(previous);
    }
    expect(statSync(join(dataDir, 'auth')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'auth', 'local-issuer.jwk.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'auth', 'session.key')).mode & 0o777).toBe(0o600);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
