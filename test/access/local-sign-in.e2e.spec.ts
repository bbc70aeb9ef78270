import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, JWK, SignJWT } from 'jose';
import { IDENTITY, Identity } from '../../src/access/identity/identity';
import { LOCAL_ISSUER, LOGIN_LINK_TYPE } from '../../src/access/identity/local-issuer';
import { openLink, pressSignIn, sessionCookieOf, signInWithLink } from '../support/sign-in';
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
  const sessionCookie = sessionCookieOf;
  const signIn = (path: string) => signInWithLink(service.url, path);

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

  it('opening a sign-in link shows a page with a button and claims nothing: no session, the token only in the form, not cached, no Referer', async () => {
    const url = await link(OWN_PARTNER.subject);
    const token = new URL(url, service.url).searchParams.get('token')!;

    // A mail scanner, then a link previewer, then the person: each GET is the same page.
    for (let visit = 0; visit < 3; visit++) {
      const opened = await get(url);
      expect(opened.status).toBe(200);
      expect(sessionCookie(opened)).toBeUndefined();
      expect(opened.headers.get('cache-control')).toBe('no-store');
      expect(opened.headers.get('referrer-policy')).toBe('no-referrer');
      const body = await opened.text();
      expect(body.split(token)).toHaveLength(2);
      expect(body).toContain(`<form method="post" action="/auth/login-link"><input type="hidden" name="token" value="${token}">`);
      expect(body).toContain(OWN_PARTNER.subject);
      const binding = opened.headers.getSetCookie().find((line) => line.startsWith('ledger_link_'))!;
      expect(binding.toLowerCase()).toEqual(expect.stringContaining('httponly'));
      expect(binding.toLowerCase()).toEqual(expect.stringContaining('samesite=strict'));
      expect(binding.toLowerCase()).toEqual(expect.stringContaining('path=/auth/login-link'));
    }
    expect((await get('/auth/me')).status).toBe(401);

    const signedIn = await signIn(url);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/');
    expect((await get('/auth/me', { cookie: sessionCookie(signedIn)! })).status).toBe(200);
  });

  it('pressing "Sign in" works once: it starts an HttpOnly, SameSite=Lax session, and the link is then refused, shown or posted', async () => {
    const url = await link(OWN_PARTNER.subject);
    const opened = await openLink(service.url, url);

    const first = await pressSignIn(service.url, opened.token!, opened.bindingCookie);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const line = first.headers.getSetCookie().find((candidate) => candidate.startsWith('ledger_session='))!;
    expect(line.toLowerCase()).toEqual(expect.stringContaining('httponly'));
    expect(line.toLowerCase()).toEqual(expect.stringContaining('samesite=lax'));
    expect(line.toLowerCase()).not.toContain('secure'); // PUBLIC_URL defaults to http://localhost

    const again = await pressSignIn(service.url, opened.token!, opened.bindingCookie);
    expect(again.status).toBe(401);
    expect(sessionCookie(again)).toBeUndefined();
    const shownAgain = await get(url);
    expect(shownAgain.status).toBe(401);
    expect(await shownAgain.text()).toContain('This sign-in link cannot be used');
  });

  it('refuses a post that did not come from the link’s own page (login CSRF), without using the link up', async () => {
    const victimsLink = await link(OWN_PARTNER.subject);
    const attackersLink = await link('attacker@elsewhere.example');
    const attackers = await openLink(service.url, attackersLink);
    const victims = await openLink(service.url, victimsLink);

    // Another site's form: SameSite=Strict keeps the binding cookie from being sent with it.
    const crossSite = await pressSignIn(service.url, attackers.token!, undefined);
    expect(crossSite.status).toBe(403);
    expect(sessionCookie(crossSite)).toBeUndefined();
    expect(await crossSite.text()).toContain('was not confirmed here');
    // The victim's binding cookie (they opened a link of their own) does not fit the attacker's link.
    const otherBinding = await pressSignIn(service.url, attackers.token!, victims.bindingCookie);
    expect(otherBinding.status).toBe(403);
    expect(sessionCookie(otherBinding)).toBeUndefined();
    // A forged binding cookie does not either, under the attacker's link's own cookie name.
    expect((await pressSignIn(service.url, attackers.token!, `${attackers.bindingCookie!.split('=')[0]}=forged`)).status).toBe(403);

    // Neither link was used up: each still signs in from its own page.
    expect((await pressSignIn(service.url, victims.token!, victims.bindingCookie)).status).toBe(303);
    expect((await pressSignIn(service.url, attackers.token!, attackers.bindingCookie)).status).toBe(303);
  });

  it('keeps each opened link\'s page working when a second link is opened in the same browser', async () => {
    const first = await openLink(service.url, await link(OWN_PARTNER.subject));
    const second = await openLink(service.url, await link(OWN_PARTNER.subject));
    expect(first.bindingCookie!.split('=')[0]).not.toBe(second.bindingCookie!.split('=')[0]);
    // The browser sends both cookies with each post; each page's button claims its own link.
    const jar = `${first.bindingCookie}; ${second.bindingCookie}`;
    const signedIn = await pressSignIn(service.url, first.token!, jar);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.getSetCookie().some((line) => line.startsWith(`${first.bindingCookie!.split('=')[0]}=;`))).toBe(true);
    expect((await pressSignIn(service.url, second.token!, jar)).status).toBe(303);
  });

  it('refuses a post without a token field as a malformed form', async () => {
    const response = await fetch(`${service.url}/auth/login-link`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'other=1' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid_form', errors: [{ field: 'token' }] });
  });

  it('the session then reads /auth/me and the pages its roles allow, and not others', async () => {
    const cookie = sessionCookie(await signIn(await link(OWN_PARTNER.subject)))!;

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
      const shown = await get(`/auth/login-link?token=${token}`);
      expect(shown.status).toBe(401);
      expect(sessionCookie(shown)).toBeUndefined();
      expect(shown.headers.getSetCookie().some((line) => line.startsWith('ledger_link'))).toBe(false);
      const posted = await pressSignIn(service.url, token, undefined);
      expect(posted.status).toBe(401);
      expect(sessionCookie(posted)).toBeUndefined();
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
    const cookie = sessionCookie(await signIn(await link(OWN_PARTNER.subject)))!;
    const other = sessionCookie(await signIn(await link(OWN_PARTNER.subject)))!;
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
    expect((await signIn(url)).status).toBe(303);
    await service.close();
    service = await startTestApp({ dataDir });
    identity = service.app.get<Identity>(IDENTITY);

    expect((await get(url)).status).toBe(401);
    expect((await signIn(await link('restart@alliance.example'))).status).toBe(303);
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
