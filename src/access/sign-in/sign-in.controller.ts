import { Controller, Get, Header, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { html, page } from '../../pages/html';
import { DomainError } from '../../shared/domain-error';
import { IDENTITY, Identity } from '../identity/identity';
import { Principal } from '../identity/principal';
import { SESSION_COOKIE } from '../identity/sessions';
import { Caller, Public, SignedIn } from '../route-access';

/** Sign-in and sign-out for the pages; the API takes bearer tokens instead. */
@ApiExcludeController()
@Controller('auth')
export class SignInController {
  constructor(@Inject(IDENTITY) private readonly identity: Identity) {}

  @Public()
  @Get('sign-in')
  @Header('Content-Type', 'text/html; charset=utf-8')
  signIn(): string {
    return page(
      'Sign in',
      html`<h1>Sign in</h1>
      <p>This ledger uses its own issuer (no <code>AUTH_ISSUER</code> is set). Ask whoever runs it for a sign-in link, or, on the machine that holds its data directory, make one:</p>
      <pre>npm run --silent ledger -- login-link --subject you@example.com</pre>
      <p>A link works once and expires in 10 minutes. For the API, use a bearer token: <code>npm run --silent ledger -- token --subject you@example.com</code>.</p>`,
    );
  }

  @Public()
  @Get('login-link')
  async loginLink(@Query('token') token: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    const local = this.identity.local;
    if (!local) throw new DomainError('sign_in_link_unsupported', 'not-found', 'Sign-in links are for the local issuer; sign in through your organisation’s provider');
    let claims;
    try {
      claims = await local.issuer.verifyLoginLink(typeof token === 'string' ? token : '');
    } catch (error) {
      return this.refuseLink(request, response, `sign-in link refused: ${(error as Error).message}`);
    }
    if (!local.usedLinks.claim(claims.jti!, claims.exp!)) return this.refuseLink(request, response, 'sign-in link already used');
    const admin = this.identity.config.admins.has(claims.sub!) || claims.ledger_admin === true;
    const session = await this.identity.sessions.startSession({ subject: claims.sub!, name: typeof claims.name === 'string' ? claims.name : null, admin }, null, this.identity.config.sessionTtlSeconds);
    this.setSessionCookie(response, session);
    response.redirect(303, '/');
  }

  @SignedIn()
  @Post('sign-out')
  signOut(@Res() response: Response): void {
    response.clearCookie(SESSION_COOKIE, this.cookieOptions());
    response.redirect(303, '/auth/sign-in');
  }

  @SignedIn()
  @Get('me')
  me(@Caller() caller: Principal): Principal {
    return caller;
  }

  private refuseLink(request: Request, response: Response, reason: string): void {
    (request as Request & { log?: { warn(value: unknown): void } }).log?.warn({ msg: 'authentication refused', reason });
    response
      .status(401)
      .type('html')
      .send(page('Sign-in link not accepted', html`<h1>This sign-in link cannot be used</h1><p>It has expired, was already used, or is not from this ledger. Ask for a new one.</p>`));
  }

  private setSessionCookie(response: Response, value: string): void {
    response.cookie(SESSION_COOKIE, value, { ...this.cookieOptions(), maxAge: this.identity.config.sessionTtlSeconds * 1000 });
  }

  private cookieOptions() {
    return { httpOnly: true, sameSite: 'lax' as const, secure: this.identity.config.publicUrl.startsWith('https:'), path: '/' };
  }
}
