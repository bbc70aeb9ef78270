import { generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';

/**
 * A real OpenID provider (panva's oidc-provider, the certified implementation) inside the test
 * process, on http://127.0.0.1:<random port>. It serves its own discovery document and JWKS, signs
 * JWT access tokens for a resource (RFC 8707) with its current key, and signs people in through its
 * development login and consent pages, which accept any subject and any password.
 */
export interface OidcProviderOptions {
  /** The `aud` of access tokens minted without one, and the resource the sign-in client may ask for. */
  audience?: string;
  /** The pages' client. */
  clientId?: string;
  /** `null` registers a public client (PKCE only, no secret). */
  clientSecret?: string | null;
  /** The ledger's `/auth/callback`; may instead be registered once the ledger listens. */
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  /** Seconds an access token lives unless `mintAccessToken` says otherwise. */
  accessTokenTtl?: number;
}

export interface MintOptions {
  sub: string;
  /** Default: the provider's `audience`. Any absolute URI (`api://…`, `https://…`) works. */
  aud?: string;
  name?: string;
  /** Seconds from now, at least 1. */
  expiresIn?: number;
  /** More top-level claims, e.g. `{ ledger_admin: true }`. They cannot override registered ones. */
  claims?: Record<string, unknown>;
}

export interface SignInOptions {
  subject: string;
  /** Profile claims the provider holds for the subject, e.g. `{ name: 'Alice Smith' }`. */
  claims?: Record<string, unknown>;
  /** Carry cookies from an earlier sign-in (a returning browser). */
  jar?: CookieJar;
  /** Stop before requesting a URL this accepts (e.g. the callback, to replay it by hand); `location` is that URL. */
  stopAt?: (url: URL) => boolean;
}

export interface OidcProvider {
  issuer: string;
  audience: string;
  clientId: string;
  clientSecret?: string;
  /** The `kid` the provider signs with now. */
  currentKid(): string;
  /** Sign with a new key (new `kid`) from now on; old public keys stay published unless retired. */
  rotateKeys(options?: { retireOldKeys?: boolean }): Promise<string>;
  /** Set the pages' client redirect URIs, e.g. once the ledger listens and its URL is known. */
  registerRedirectUris(uris: { redirectUris: string[]; postLogoutRedirectUris?: string[] }): Promise<void>;
  /** An access token the provider issued through its own authorization and token endpoints. */
  mintAccessToken(options: MintOptions): Promise<string>;
  /** A browser without JavaScript: from the ledger's sign-in URL to the ledger's callback response. */
  signIn(startUrl: string | URL, options: SignInOptions): Promise<SignInResult>;
  stop(): Promise<void>;
}

/** The scope a resource server (the ledger) offers; access tokens for it carry it. */
export const LEDGER_SCOPE = 'ledger';
const MINTER_REDIRECT_URI = 'http://127.0.0.1/minted';
const CLAIMS_HEADER = 'x-test-access-token-claims';
const TTL_HEADER = 'x-test-access-token-ttl';

export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<OidcProvider> {
  const Provider = await loadProviderQuietly();
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const audience = options.audience ?? 'api://alliance-ledger';
  const clientId = options.clientId ?? 'alliance-ledger-pages';
  const clientSecret = options.clientSecret === null ? undefined : (options.clientSecret ?? randomBytes(24).toString('base64url'));
  const minter = { client_id: 'test-token-minter', client_secret: randomBytes(24).toString('base64url') };
  const accounts = new Map<string, Record<string, unknown>>();
  const cookieKeys = [randomBytes(32).toString('hex')];
  let keys: JsonWebKey[] = [newSigningKey()];
  let redirectUris = options.redirectUris ?? [];
  let postLogoutRedirectUris = options.postLogoutRedirectUris ?? [];

  const pagesClient = () => ({
    client_id: clientId,
    ...(clientSecret ? { client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_post' } : { token_endpoint_auth_method: 'none' }),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // oidc-provider refuses a client without one; a placeholder until the ledger's is known.
    redirect_uris: redirectUris.length > 0 ? redirectUris : ['http://127.0.0.1/not-registered-yet'],
    post_logout_redirect_uris: postLogoutRedirectUris,
  });

  // Koa's app and the in-memory store are rebuilt on every change of keys or clients; the store is
  // module-wide in oidc-provider, so sessions and grants survive a rotation.
  const build = () => {
    const provider = new Provider(issuer, {
      clients: [
        pagesClient(),
        { ...minter, grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: [MINTER_REDIRECT_URI] },
      ],
      jwks: { keys },
      cookies: {
        keys: cookieKeys,
        // Browsers share cookies between ports of one host: keep clear of any name the ledger uses.
        names: { session: 'op_session', interaction: 'op_interaction', resume: 'op_interaction_resume' },
      },
      claims: { openid: ['sub'], profile: ['name'] },
      // Put profile claims (name) in the ID token too, as Entra ID and Keycloak do.
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub, ...accounts.get(sub) }) }),
      extraTokenClaims: (ctx: ProviderContext) => parseHeader(ctx, CLAIMS_HEADER),
      features: {
        devInteractions: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          useGrantedResource: () => true,
          getResourceServerInfo: (ctx: ProviderContext, resource: string) => ({
            scope: LEDGER_SCOPE,
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: (parseHeader(ctx, TTL_HEADER) as number | undefined) ?? options.accessTokenTtl ?? 3600,
            jwt: { sign: { alg: 'RS256', kid: keys[0].kid } },
          }),
        },
      },
    });
    handle = provider.callback();
  };
  build();

  /** Follows the provider's pages as `subject`, stopping at the first request that leaves it. */
  const walk = (startUrl: string | URL, subject: string, jar: CookieJar, stopAt?: (url: URL) => boolean) =>
    walkSignIn({ startUrl: new URL(startUrl), providerOrigin: issuer, subject, jar, stopAt });

  return {
    issuer,
    audience,
    clientId,
    clientSecret,
    currentKid: () => keys[0].kid as string,
    async rotateKeys({ retireOldKeys = false } = {}) {
      const key = newSigningKey();
      keys = retireOldKeys ? [key] : [key, ...keys];
      build();
      return key.kid as string;
    },
    async registerRedirectUris(uris) {
      redirectUris = uris.redirectUris;
      postLogoutRedirectUris = uris.postLogoutRedirectUris ?? postLogoutRedirectUris;
      build();
    },
    async mintAccessToken({ sub, aud = audience, name, expiresIn, claims }) {
      if (expiresIn !== undefined && !(Number.isInteger(expiresIn) && expiresIn >= 1)) {
        throw new Error('expiresIn: whole seconds, at least 1 (a provider issues no expired tokens)');
      }
      const codeVerifier = client.randomPKCECodeVerifier();
      const authorize = new URL('/auth', issuer);
      authorize.search = new URLSearchParams({
        client_id: minter.client_id,
        response_type: 'code',
        redirect_uri: MINTER_REDIRECT_URI,
        scope: `openid ${LEDGER_SCOPE}`,
        resource: aud,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      }).toString();
      const atRedirect = (url: URL) => url.href.startsWith(MINTER_REDIRECT_URI);
      const { location } = await walk(authorize, sub, new CookieJar(), atRedirect);
      const code = new URL(location ?? MINTER_REDIRECT_URI).searchParams.get('code');
      if (!code) throw new Error(`no authorization code: ${location}`);
      const response = await fetch(new URL('/token', issuer), {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${minter.client_id}:${minter.client_secret}`).toString('base64')}`,
          // Read by extraTokenClaims and getResourceServerInfo above: what this one token carries.
          [CLAIMS_HEADER]: JSON.stringify({ ...(name === undefined ? {} : { name }), ...claims }),
          ...(expiresIn === undefined ? {} : { [TTL_HEADER]: String(expiresIn) }),
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: MINTER_REDIRECT_URI, code_verifier: codeVerifier, resource: aud }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!response.ok || !body.access_token) throw new Error(`token endpoint ${response.status}: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async signIn(startUrl, { subject, claims, jar = new CookieJar(), stopAt }) {
      if (claims) accounts.set(subject, claims);
      return walk(startUrl, subject, jar, stopAt);
    },
    async stop() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

interface ProviderContext {
  get(header: string): string;
}

function parseHeader(ctx: ProviderContext, header: string): unknown {
  const value = ctx.get?.(header);
  return value ? JSON.parse(value) : undefined;
}

function newSigningKey(): JsonWebKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
}

type ProviderClass = new (issuer: string, configuration: object) => { callback(): (req: IncomingMessage, res: ServerResponse) => void };

/**
 * oidc-provider warns on import (Node 20 is older than it would like) and on first use of its
 * development-only pages and store, which is what these tests want. Drop only its own lines.
 */
async function loadProviderQuietly(): Promise<ProviderClass> {
  for (const level of ['warn', 'info'] as const) {
    const original = console[level];
    if ((original as { quietOidc?: boolean }).quietOidc) continue;
    const quiet = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider ')) return;
      original.apply(console, args);
    };
    console[level] = Object.assign(quiet, { quietOidc: true });
  }
  // @ts-expect-error oidc-provider ships no type declarations; ProviderClass is the part used here.
  const module = await import('oidc-provider');
  return module.default as ProviderClass;
}

export interface SignInResult {
  /** The last URL requested: the ledger's callback (or where a `stopAt` redirect pointed). */
  url: string;
  status: number;
  headers: Headers;
  location: string | null;
  /** Each `Set-Cookie` header of the final response, as sent. */
  setCookie: string[];
  body: string;
  /** The browser's cookies afterwards, for requests as the signed-in person. */
  jar: CookieJar;
}

/**
 * Cookies as a browser keeps them for one host. Browsers ignore the port, so the ledger's and the
 * provider's cookies on 127.0.0.1 share the jar, as they would on a developer's machine.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(setCookie: string[], requestUrl: URL): void {
    for (const line of setCookie) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attribute = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attribute('path') || requestUrl.pathname.replace(/\/[^/]*$/, '') || '/';
      const maxAge = attribute('max-age');
      const expires = attribute('expires');
      const gone = (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now());
      const key = `${name};${path}`;
      if (gone) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  /** The `Cookie` header a browser sends to `url`. */
  headerFor(url: URL): string {
    const matches = (path: string) => url.pathname === path || url.pathname.startsWith(path.endsWith('/') ? path : `${path}/`);
    return [...this.cookies.values()]
      .filter((cookie) => matches(cookie.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  get(name: string): string | undefined {
    return [...this.cookies.values()].find((cookie) => cookie.name === name)?.value;
  }
}

interface Walk {
  startUrl: URL;
  providerOrigin: string;
  subject: string;
  jar: CookieJar;
  /** Stop before requesting a URL this accepts; the result's `location` is that URL. */
  stopAt?: (url: URL) => boolean;
}

/**
 * Follows redirects by hand and fills in the provider's development login and consent forms, until
 * a response comes from elsewhere than the provider (the relying party's callback) after the
 * provider has been visited, or from the relying party without a redirect to the provider.
 */
async function walkSignIn({ startUrl, providerOrigin, subject, jar, stopAt }: Walk): Promise<SignInResult> {
  let url = startUrl;
  let request: { method: string; body?: URLSearchParams } = { method: 'GET' };
  let visitedProvider = false;
  for (let step = 0; step < 20; step++) {
    const response = await fetch(url, {
      method: request.method,
      body: request.body,
      redirect: 'manual',
      headers: { cookie: jar.headerFor(url), accept: 'text/html' },
    });
    const setCookie = response.headers.getSetCookie();
    jar.store(setCookie, url);
    const location = response.headers.get('location');
    const body = await response.text();
    const result = { url: url.href, status: response.status, headers: response.headers, location, setCookie, body, jar };
    const onProvider = url.origin === providerOrigin;
    visitedProvider ||= onProvider;
    const next = location ? new URL(location, url) : undefined;
    if (!onProvider && (visitedProvider || next?.origin !== providerOrigin)) return result;
    if (next) {
      if (stopAt?.(next)) return { ...result, location: next.href };
      url = next;
      request = { method: 'GET' };
      continue;
    }
    const form = response.status === 200 ? devInteractionForm(body, subject) : undefined;
    if (!form) throw new Error(`the provider answered ${response.status} at ${url.href}: ${body.slice(0, 500)}`);
    url = new URL(form.action, url);
    request = { method: 'POST', body: form.fields };
  }
  throw new Error(`sign-in did not finish within 20 requests from ${startUrl.href}`);
}

/** oidc-provider's development pages: a login form (any login, any password), then consent. */
function devInteractionForm(html: string, subject: string): { action: string; fields: URLSearchParams } | undefined {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !prompt) return undefined;
  const decoded = action.replace(/&amp;/g, '&').replace(/&#x2F;/gi, '/').replace(/&#x3D;/gi, '=');
  if (prompt === 'login') return { action: decoded, fields: new URLSearchParams({ prompt, login: subject, password: 'any' }) };
  if (prompt === 'consent') return { action: decoded, fields: new URLSearchParams({ prompt }) };
  return undefined;
}
