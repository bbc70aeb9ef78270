import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { type OidcProvider, startOidcProvider } from '../../../test/support/oidc-provider';
import { OidcSignIn, type PendingSignIn, SignInFailed } from './oidc-sign-in';

/**
 * A stand-in for the ledger's pages on node:http: /start begins a sign-in and keeps the pending
 * state in a cookie, /auth/callback finishes it and answers with who signed in or why not.
 */
interface Pages {
  url: string;
  signIn: OidcSignIn;
  /** The last callback as it arrived, with the pending sign-in from its cookie. */
  lastCallback?: { url: URL; pending: PendingSignIn };
  /** Changes the callback URL before it is finished, as an attacker would. */
  tamper?: (url: URL) => void;
  /** Keep the callback unfinished (answer 204), for the test to finish it. */
  hold?: boolean;
  close(): Promise<void>;
}

async function startPages(provider: OidcProvider, options: { scope?: string } = {}): Promise<Pages> {
  let pages: Pages;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, pages.url);
    const reply = (status: number, body: object, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (url.pathname === '/start') {
      void pages.signIn.begin(url.searchParams.get('returnTo') ?? '/').then(({ url: authorize, pending }) => {
        const cookie = Buffer.from(JSON.stringify(pending)).toString('base64url');
        res.writeHead(302, { location: authorize, 'set-cookie': `pending=${cookie}; Path=/auth; HttpOnly; SameSite=Lax` }).end();
      });
      return;
    }
    const cookie = /(?:^|; )pending=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const pending = JSON.parse(Buffer.from(cookie ?? '', 'base64url').toString() || 'null') as PendingSignIn;
    pages.tamper?.(url);
    pages.lastCallback = { url, pending };
    if (pages.hold) return void res.writeHead(204).end();
    pages.signIn.finish(url, pending).then(
      (signedIn) => reply(200, { ...signedIn, returnTo: pending.returnTo }),
      (error: unknown) => reply(400, error instanceof SignInFailed ? { code: error.code, reason: error.reason } : { error: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await provider.registerRedirectUris({ redirectUris: [`${url}/auth/callback`], postLogoutRedirectUris: [`${url}/signed-out`] });
  const signIn = await OidcSignIn.discover({
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUri: `${url}/auth/callback`,
    postLogoutRedirectUri: `${url}/signed-out`,
    allowInsecureHttp: true,
    ...options,
  });
  pages = {
    url,
    signIn,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
    },
  };
  return pages;
}

describe('OidcSignIn against a real OpenID provider', () => {
  let provider: OidcProvider;
  let pages: Pages;
  beforeAll(async () => {
    provider = await startOidcProvider();
    pages = await startPages(provider);
  });
  afterAll(async () => {
    await pages.close();
    await provider.stop();
  });
  afterEach(() => {
    pages.tamper = undefined;
    pages.hold = false;
  });

  it('signs in with the authorization code and PKCE and returns who signed in', async () => {
    const result = await provider.signIn(`${pages.url}/start?returnTo=/alliances/smart-motorways`, {
      subject: 'alice',
      claims: { name: 'Alice Smith' },
    });

    expect(result.url.startsWith(`${pages.url}/auth/callback?`)).toBe(true);
    expect(result.status).toBe(200);
    const signedIn = JSON.parse(result.body) as { subject: string; name: string; idToken: string; returnTo: string };
    expect(signedIn).toMatchObject({ subject: 'alice', name: 'Alice Smith', returnTo: '/alliances/smart-motorways' });
    expect(decodeJwt(signedIn.idToken)).toMatchObject({ iss: provider.issuer, aud: provider.clientId, sub: 'alice' });
  });

  it('asks the provider for S256 PKCE, state and nonce, each new per sign-in', async () => {
    const first = await pages.signIn.begin('/');
    const second = await pages.signIn.begin('/');
    const query = new URL(first.url).searchParams;

    expect(first.url.startsWith(`${provider.issuer}/auth?`)).toBe(true);
    expect(Object.fromEntries(query)).toMatchObject({
      client_id: provider.clientId,
      response_type: 'code',
      redirect_uri: `${pages.url}/auth/callback`,
      scope: 'openid profile',
      code_challenge_method: 'S256',
      state: first.pending.state,
      nonce: first.pending.nonce,
    });
    expect(query.get('code_challenge')).not.toBe(first.pending.codeVerifier);
    expect(second.pending.state).not.toBe(first.pending.state);
    expect(second.pending.nonce).not.toBe(first.pending.nonce);
    expect(second.pending.codeVerifier).not.toBe(first.pending.codeVerifier);
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    pages.tamper = (url) => url.searchParams.set('state', 'forged-by-someone-else');

    const result = await provider.signIn(`${pages.url}/start`, { subject: 'mallory' });

    expect(result.status).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'sign_in_failed', reason: expect.stringMatching(/state/) });
  });

  it('refuses a code used a second time', async () => {
    const first = await provider.signIn(`${pages.url}/start`, { subject: 'bob' });
    expect(first.status).toBe(200);
    const { url, pending } = pages.lastCallback!;

    const replay = pages.signIn.finish(url, pending);

    await expect(replay).rejects.toBeInstanceOf(SignInFailed);
    await expect(replay).rejects.toMatchObject({ code: 'sign_in_failed', reason: expect.stringMatching(/invalid_grant/) });
  });

  it('refuses a callback finished with another sign-in’s PKCE verifier and nonce', async () => {
    const { pending: other } = await pages.signIn.begin('/');
    const result = await provider.signIn(`${pages.url}/start`, { subject: 'carol' });
    expect(result.status).toBe(200);
    // The first callback succeeded and used its code; take a fresh one and finish it with foreign secrets.
    const fresh = await provider.signIn(`${pages.url}/start`, { subject: 'carol', jar: result.jar });
    expect(fresh.status).toBe(200);

    const mixed = pages.signIn.finish(pages.lastCallback!.url, { ...other, state: pages.lastCallback!.pending.state });

    await expect(mixed).rejects.toBeInstanceOf(SignInFailed);
    await expect(mixed).rejects.toMatchObject({ reason: expect.stringMatching(/invalid_grant/) });
  });

  it('refuses an ID token whose nonce is not the one this sign-in asked for', async () => {
    pages.hold = true;
    await provider.signIn(`${pages.url}/start`, { subject: 'dave' });
    const { url, pending } = pages.lastCallback!;

    const foreignNonce = pages.signIn.finish(url, { ...pending, nonce: 'from-another-sign-in' });

    await expect(foreignNonce).rejects.toMatchObject({ code: 'sign_in_failed', reason: expect.stringMatching(/nonce/) });
  });

  it('never sends the browser to another origin after signing in', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      expect((await pages.signIn.begin(returnTo)).pending.returnTo).toBe('/');
    }
  });

  it('builds the provider’s sign-out URL with the ID token hint and the registered return address', () => {
    const url = new URL(pages.signIn.signOutUrl('the-id-token')!);

    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      id_token_hint: 'the-id-token',
      post_logout_redirect_uri: `${pages.url}/signed-out`,
      client_id: provider.clientId,
    });
  });

  it('will not talk to an http issuer unless told it is a test', async () => {
    await expect(
      OidcSignIn.discover({ issuer: provider.issuer, clientId: provider.clientId, redirectUri: `${pages.url}/auth/callback` }),
    ).rejects.toThrow(/HTTPS/i);
  });

  it('signs in as a public client with PKCE alone when there is no secret', async () => {
    const publicProvider = await startOidcProvider({ clientSecret: null });
    const publicPages = await startPages(publicProvider, { scope: 'openid' });
    try {
      const result = await publicProvider.signIn(`${publicPages.url}/start`, { subject: 'erin', claims: { name: 'Erin' } });

      expect(publicProvider.clientSecret).toBeUndefined();
      expect(JSON.parse(result.body)).toMatchObject({ subject: 'erin' });
      expect(JSON.parse(result.body).name).toBeUndefined();
    } finally {
      await publicPages.close();
      await publicProvider.stop();
    }
  });
});
