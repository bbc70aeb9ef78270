import { Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, page } from '../../pages/layout/page';
import { DomainError, invalid } from '../../shared/domain-error';
import { IDENTITY, Identity } from '../identity/identity';
import { LocalIssuer } from '../identity/local-issuer';
import { Principal } from '../identity/principal';
import { PENDING_SIGN_IN_COOKIE, readCookie, SESSION_COOKIE } from '../identity/sessions';
import { AuthenticationFailure } from '../identity/token-verifier';
import { OidcSignIn, PendingSignIn, SignInFailed } from '../oidc/oidc-sign-in';
import { localReturnPath } from '../oidc/return-path';

import { Caller, Public, SignedIn } from '../route-access';
import { confirmationPage, LINK_BINDING_AUDIENCE, linkBindingCookie, linkDigest, LOGIN_LINK_PATH, refusedLinkPage, unboundLinkPage } from './login-link';

const PENDING_SIGN_IN_TTL_SECONDS = 600;
/** As long as a link lasts: the page is pressed soon after it is opened, or not at all. */
const LINK_BINDING_TTL_SECONDS = 600;

/** Sign-in and sign-out for the pages; the API takes bearer tokens instead. */
@ApiExcludeController()
@Controller('auth')
export class SignInController {
  private provider: Promise<OidcSignIn> | null = null;

  constructor(@Inject(IDENTITY) private readonly identity: Identity) {}

  @Public()
  @Get('sign-in')
  async signIn(@Query('returnTo') returnTo: string | undefined, @Res() response: FastifyReply): Promise<void> {
    if (this.identity.local) {
      response.type('text/html; charset=utf-8').send(this.localSignInPage());
      return;
    }
    const { url, pending } = await (await this.oidc()).begin(localReturnPath(typeof returnTo === 'string' ? returnTo : undefined));
    const sealed = await this.identity.sessions.seal({ pending }, 'sign-in', PENDING_SIGN_IN_TTL_SECONDS);
    setCookie(response, PENDING_SIGN_IN_COOKIE, sealed, { ...this.cookieOptions(), path: '/auth', maxAgeSeconds: PENDING_SIGN_IN_TTL_SECONDS });
    response.redirect(url, 303);
  }

  /** The provider sends the browser back here with a code; openid-client checks state, nonce and PKCE. */
  @Public()
  @Get('callback')
  async callback(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    const cookie = readCookie(request.headers.cookie, PENDING_SIGN_IN_COOKIE);
    const opened = cookie ? await this.identity.sessions.open(cookie, 'sign-in') : null;
    clearCookie(response, PENDING_SIGN_IN_COOKIE, { ...this.cookieOptions(), path: '/auth' });
    if (!opened || this.identity.local) throw new SignInFailed('no sign-in in progress (cookie missing, expired or forged)');
    const pending = opened.pending as PendingSignIn;
    const signedIn = await (await this.oidc()).finish(new URL(request.originalUrl, this.identity.config.publicUrl), pending);
    const admin = this.identity.config.admins.has(signedIn.subject);
    const session = await this.identity.sessions.startSession({ subject: signedIn.subject, name: signedIn.name ?? null, admin }, signedIn.idToken, this.identity.config.sessionTtlSeconds);
    this.setSessionCookie(response, session);
    response.redirect(localReturnPath(pending.returnTo), 303);
  }

  private localSignInPage(): string {
    return page(
      'Sign in',
      html`<h1>Sign in</h1>
      <p>This ledger uses its own issuer (no <code>AUTH_ISSUER</code> is set). Ask whoever runs it for a sign-in link, or, on the machine that holds its data directory, make one:</p>
      <pre>npm run --silent ledger -- login-link --subject you@example.com</pre>
      <p>A link works once and expires in 10 minutes. For the API, use a bearer token: <code>npm run --silent ledger -- token --subject you@example.com</code>.</p>`,
    );
  }

  /**
   * A sign-in link shows a page with a button rather than signing in: scanners and previewers
   * follow GET links. The link is checked (a bad one is counted by the failure throttle, as a bad
   * token is) but not claimed; the page sets the binding cookie its form's POST needs.
   */
  @Public()
  @Get('login-link')
  async showLoginLink(@Query('token') token: string | undefined, @Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    const local = this.localIssuer();
    response.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
    const claims = await this.checkLink(request, token, async (verified) => {
      if (local.usedLinks.wasClaimed(verified.jti!)) throw new AuthenticationFailure('sign-in link already used');
      return verified;
    });
    if (!claims) return this.refuseLink(response);
    const binding = await this.identity.sessions.seal({ link: linkDigest(claims.jti!) }, LINK_BINDING_AUDIENCE, LINK_BINDING_TTL_SECONDS);
    setCookie(response, linkBindingCookie(claims.jti!), binding, { ...this.cookieOptions(), sameSite: 'strict', path: LOGIN_LINK_PATH, maxAgeSeconds: LINK_BINDING_TTL_SECONDS });
    const who = typeof claims.name === 'string' && claims.name ? `${claims.name} (${claims.sub!})` : claims.sub!;
    response.type('text/html; charset=utf-8').send(confirmationPage(token!, who));
  }

  /** The confirmation page's button: claims the link once, from the browser that was shown the page, and starts the session. */
  @Public()
  @Post('login-link')
  async claimLoginLink(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    const local = this.localIssuer();
    response.header('Cache-Control', 'no-store');
    const body = request.body as Record<string, unknown> | undefined;
    const token = body && typeof body === 'object' ? body.token : undefined;
    if (typeof token !== 'string') throw invalid('token', 'is required: press "Sign in" on the page the sign-in link opens', 'invalid_form');
    const claimed = await this.checkLink(request, token, async (verified) => {
      // Checked before the claim: a forged post uses nothing up, and the person can still press the button.
      const cookie = readCookie(request.headers.cookie, linkBindingCookie(verified.jti!));
      const bound = cookie ? await this.identity.sessions.open(cookie, LINK_BINDING_AUDIENCE) : null;
      if (bound?.link !== linkDigest(verified.jti!)) return 'not-bound' as const;
      if (!local.usedLinks.claim(verified.jti!, verified.exp!)) throw new AuthenticationFailure('sign-in link already used');
      return verified;
    });
    if (!claimed) return this.refuseLink(response);
    if (claimed === 'not-bound') {
      response.code(403).type('text/html; charset=utf-8').send(unboundLinkPage());
      return;
    }
    const claims = claimed;
    clearCookie(response, linkBindingCookie(claims.jti!), { ...this.cookieOptions(), sameSite: 'strict', path: LOGIN_LINK_PATH });
    const admin = this.identity.config.admins.has(claims.sub!) || claims.ledger_admin === true;
    const session = await this.identity.sessions.startSession({ subject: claims.sub!, name: typeof claims.name === 'string' ? claims.name : null, admin }, null, this.identity.config.sessionTtlSeconds);
    this.setSessionCookie(response, session);
    response.redirect('/', 303);
  }

  private localIssuer(): NonNullable<Identity['local']> {
    const local = this.identity.local;
    if (!local) throw new DomainError('sign_in_link_unsupported', 'not-found', 'Sign-in links are for the local issuer; sign in through your organisation’s provider');
    return local;
  }

  /**
   * What `accept` makes of the verified link, or null when the link (or `accept`, with an
   * AuthenticationFailure) refuses it. A link is a credential: bad ones are counted by the same
   * throttle as bad tokens (429 once blocked).
   */
  private async checkLink<T>(request: FastifyRequest, token: unknown, accept: (claims: LinkClaims) => Promise<T>): Promise<T | null> {
    const local = this.localIssuer();
    try {
      return await this.identity.authenticator.guarded(
        request,
        async () => {
          const verified = await local.issuer.verifyLoginLink(typeof token === 'string' ? token : '').catch((error: Error) => {
            throw new AuthenticationFailure(`sign-in link refused: ${error.message}`);
          });
          return accept(verified);
        },
        'This sign-in link cannot be used',
      );
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'unauthenticated') throw error;
      return null;
    }
  }

  @SignedIn()
  @Post('sign-out')
  async signOut(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    const session = await this.identity.authenticator.session(request);
    if (session) this.identity.authenticator.signOut(session);
    clearCookie(response, SESSION_COOKIE, this.cookieOptions());
    const providerSignOut = this.identity.local ? null : (await this.oidc()).signOutUrl(session?.idTokenHint ?? undefined);
    response.redirect(providerSignOut ?? '/auth/sign-in', 303);
  }

  @SignedIn()
  @Get('me')
  me(@Caller() caller: Principal): Principal {
    return caller;
  }

  /** Discovered on first use, so a provider that is down at start-up does not stop the service. */
  private oidc(): Promise<OidcSignIn> {
    const { issuer, clientId, clientSecret, publicUrl } = this.identity.config;
    if (!clientId) throw new DomainError('pages_sign_in_not_configured', 'not-found', 'The pages need AUTH_CLIENT_ID (and usually AUTH_CLIENT_SECRET) to sign in through the provider; the API takes bearer tokens');
    this.provider ??= OidcSignIn.discover({
      issuer: issuer!,
      clientId,
      clientSecret: clientSecret ?? undefined,
      redirectUri: `${publicUrl}/auth/callback`,
      postLogoutRedirectUri: `${publicUrl}/auth/sign-in`,
      allowInsecureHttp: issuer!.startsWith('http:'),
    }).catch((error) => {
      this.provider = null;
      throw new DomainError('identity_provider_unavailable', 'unavailable', `The identity provider could not be reached: ${(error as Error).message}`);
    });
    return this.provider;
  }

  private refuseLink(response: FastifyReply): void {
    response.code(401).type('text/html; charset=utf-8').send(refusedLinkPage());
  }

  private setSessionCookie(response: FastifyReply, value: string): void {
    setCookie(response, SESSION_COOKIE, value, { ...this.cookieOptions(), maxAgeSeconds: this.identity.config.sessionTtlSeconds });
  }

  private cookieOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: this.identity.config.publicUrl.startsWith('https:'), path: '/' };
  }
}

type LinkClaims = Awaited<ReturnType<LocalIssuer['verifyLoginLink']>>;

interface CookieOptions {
  httpOnly: boolean;
  sameSite: 'lax' | 'strict';
  secure: boolean;
  path: string;
}

/** A cookie that lasts `maxAgeSeconds`: Max-Age for browsers that read it, Expires for those that do not. */
function setCookie(response: FastifyReply, name: string, value: string, { maxAgeSeconds, ...options }: CookieOptions & { maxAgeSeconds: number }): void {
  response.header('Set-Cookie', fastifyCookie.serialize(name, value, { ...options, maxAge: maxAgeSeconds, expires: new Date(Date.now() + maxAgeSeconds * 1000) }));
}

/** Tells the browser to drop the cookie: empty, and expired since 1970. */
function clearCookie(response: FastifyReply, name: string, options: CookieOptions): void {
  response.header('Set-Cookie', fastifyCookie.serialize(name, '', { ...options, expires: new Date(1) }));
}
