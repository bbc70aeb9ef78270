import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { LEDGER_SCOPE, type OidcProvider, startOidcProvider } from './oidc-provider';

interface Discovery {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
  code_challenge_methods_supported: string[];
}

async function discover(provider: OidcProvider): Promise<Discovery> {
  const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
  expect(response.status).toBe(200);
  return (await response.json()) as Discovery;
}

async function publishedKids(provider: OidcProvider): Promise<string[]> {
  const { keys } = (await (await fetch((await discover(provider)).jwks_uri)).json()) as { keys: { kid: string; d?: string }[] };
  expect(keys.every((key) => key.d === undefined)).toBe(true);
  return keys.map((key) => key.kid);
}

describe('the OpenID provider for tests', () => {
  let provider: OidcProvider;
  beforeAll(async () => {
    provider = await startOidcProvider({ audience: 'api://alliance-ledger' });
  });
  afterAll(() => provider.stop());

  it('serves discovery and its public keys on its own issuer URL', async () => {
    const metadata = await discover(provider);
    expect(provider.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metadata.issuer).toBe(provider.issuer);
    expect(metadata.jwks_uri.startsWith(provider.issuer)).toBe(true);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.end_session_endpoint).toBe(`${provider.issuer}/session/end`);
    expect(await publishedKids(provider)).toEqual([provider.currentKid()]);
  });

  it('issues JWT access tokens for the audience that verify against the keys found by discovery', async () => {
    const token = await provider.mintAccessToken({ sub: 'alice', name: 'Alice Smith', expiresIn: 120, claims: { ledger_admin: true } });
    const jwks = createRemoteJWKSet(new URL((await discover(provider)).jwks_uri));

    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: provider.issuer, audience: 'api://alliance-ledger' });

    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: provider.currentKid(), typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'alice', name: 'Alice Smith', ledger_admin: true, scope: LEDGER_SCOPE });
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it('issues tokens for another audience that the ledger audience refuses', async () => {
    const token = await provider.mintAccessToken({ sub: 'alice', aud: 'https://other-api.example' });
    const jwks = createRemoteJWKSet(new URL((await discover(provider)).jwks_uri));

    await expect(jwtVerify(token, jwks, { issuer: provider.issuer, audience: 'api://alliance-ledger' })).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
  });

  it('a second provider is another issuer with other keys', async () => {
    const other = await startOidcProvider({ audience: 'api://alliance-ledger' });
    try {
      const token = await other.mintAccessToken({ sub: 'mallory' });
      const jwks = createRemoteJWKSet(new URL((await discover(provider)).jwks_uri));

      expect(other.issuer).not.toBe(provider.issuer);
      await expect(jwtVerify(token, jwks, { issuer: provider.issuer, audience: 'api://alliance-ledger' })).rejects.toMatchObject({
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      });
      await expect(jwtVerify(token, createRemoteJWKSet(new URL(`${other.issuer}/jwks`)), { issuer: provider.issuer })).rejects.toMatchObject({
        claim: 'iss',
      });
    } finally {
      await other.stop();
    }
  });

  it('rotates to a new signing key on the same issuer, and can retire the old ones', async () => {
    const rotating = await startOidcProvider();
    try {
      const before = await rotating.mintAccessToken({ sub: 'alice' });
      const kidsBefore = await publishedKids(rotating);
      // A verifier that already fetched the keys: it must fetch again on an unknown kid.
      const jwks = createRemoteJWKSet(new URL(`${rotating.issuer}/jwks`), { cooldownDuration: 0 });
      await jwtVerify(before, jwks, { issuer: rotating.issuer, audience: rotating.audience });

      const newKid = await rotating.rotateKeys();
      const after = await rotating.mintAccessToken({ sub: 'alice' });

      expect(kidsBefore).not.toContain(newKid);
      expect(decodeProtectedHeader(after).kid).toBe(newKid);
      expect(await publishedKids(rotating)).toEqual([newKid, ...kidsBefore]);
      await expect(jwtVerify(after, jwks, { issuer: rotating.issuer, audience: rotating.audience })).resolves.toBeDefined();
      await expect(jwtVerify(before, jwks, { issuer: rotating.issuer, audience: rotating.audience })).resolves.toBeDefined();

      const newest = await rotating.rotateKeys({ retireOldKeys: true });
      expect(await publishedKids(rotating)).toEqual([newest]);
      // jose keeps keys it fetched for its cacheMaxAge (10 minutes): a fresh verifier sees the retirement.
      const fresh = createRemoteJWKSet(new URL(`${rotating.issuer}/jwks`));
      await expect(jwtVerify(before, fresh, { issuer: rotating.issuer, audience: rotating.audience })).rejects.toMatchObject({
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      });
    } finally {
      await rotating.stop();
    }
  });

  it('refuses to mint what a provider would never issue', async () => {
    await expect(provider.mintAccessToken({ sub: 'alice', expiresIn: 0 })).rejects.toThrow(/expiresIn/);
  });

  describe('signing in with the authorization code and PKCE', () => {
    let relyingParty: Server;
    let relyingPartyUrl: string;
    const pending = new Map<string, string>();

    beforeAll(async () => {
      // A stand-in for the ledger's pages: /start redirects to the provider, /callback shows what came back.
      relyingParty = createServer((req, res) => {
        const url = new URL(req.url!, relyingPartyUrl);
        if (url.pathname === '/start') {
          const verifier = client.randomPKCECodeVerifier();
          const state = client.randomState();
          pending.set(state, verifier);
          void client.calculatePKCECodeChallenge(verifier).then((challenge) => {
            const authorize = new URL('/auth', provider.issuer);
            authorize.search = new URLSearchParams({
              client_id: provider.clientId,
              response_type: 'code',
              scope: 'openid profile',
              redirect_uri: `${relyingPartyUrl}/callback`,
              state,
              code_challenge: challenge,
              code_challenge_method: 'S256',
            }).toString();
            res.writeHead(302, { location: authorize.href, 'set-cookie': `rp_state=${state}; Path=/; HttpOnly` }).end();
          });
        } else {
          res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'rp_session=signed-in; Path=/; HttpOnly' });
          res.end(JSON.stringify({ query: Object.fromEntries(url.searchParams), cookie: req.headers.cookie ?? '' }));
        }
      });
      await new Promise<void>((resolve) => relyingParty.listen(0, '127.0.0.1', resolve));
      relyingPartyUrl = `http://127.0.0.1:${(relyingParty.address() as AddressInfo).port}`;
      // The relying party's URL is known only now: register it after the provider started.
      await provider.registerRedirectUris({ redirectUris: [`${relyingPartyUrl}/callback`], postLogoutRedirectUris: [`${relyingPartyUrl}/`] });
    });
    afterAll(async () => {
      await new Promise((resolve) => relyingParty.close(resolve));
      relyingParty.closeAllConnections();
    });

    it('goes through login and consent and reaches the callback with a code and the state', async () => {
      const result = await provider.signIn(`${relyingPartyUrl}/start`, { subject: 'alice', claims: { name: 'Alice Smith' } });

      expect(result.url.startsWith(`${relyingPartyUrl}/callback?`)).toBe(true);
      expect(result.status).toBe(200);
      expect(result.setCookie).toEqual(['rp_session=signed-in; Path=/; HttpOnly']);
      const { query, cookie } = JSON.parse(result.body) as { query: Record<string, string>; cookie: string };
      expect(query.code).toEqual(expect.any(String));
      expect(query.iss).toBe(provider.issuer);
      expect(pending.has(query.state)).toBe(true);
      // The browser brought back the cookie the relying party set when the sign-in began.
      expect(cookie).toContain(`rp_state=${query.state}`);
      expect(result.jar.get('rp_session')).toBe('signed-in');
    });

    it('issues tokens for that code only with the matching PKCE verifier', async () => {
      const result = await provider.signIn(`${relyingPartyUrl}/start`, { subject: 'bob' });
      const { query } = JSON.parse(result.body) as { query: Record<string, string> };
      const exchange = (verifier: string) =>
        fetch(new URL('/token', provider.issuer), {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: query.code,
            redirect_uri: `${relyingPartyUrl}/callback`,
            code_verifier: verifier,
            client_id: provider.clientId,
            client_secret: provider.clientSecret!,
          }),
        });

      const wrong = await exchange(client.randomPKCECodeVerifier());
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });

      const right = await exchange(pending.get(query.state)!);
      expect(right.status).toBe(200);
      expect(await right.json()).toMatchObject({ id_token: expect.any(String), token_type: 'Bearer' });
    });

    it('refuses an authorization request without PKCE', async () => {
      const authorize = new URL('/auth', provider.issuer);
      authorize.search = new URLSearchParams({
        client_id: provider.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: `${relyingPartyUrl}/callback`,
      }).toString();
      const response = await fetch(authorize, { redirect: 'manual' });
      const location = new URL(response.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    });
  });
});
