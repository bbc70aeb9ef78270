import * as client from 'openid-client';
import { DomainError } from '../../shared/domain-error';
import { localReturnPath } from './return-path';

export interface OidcSignInOptions {
  issuer: string;
  clientId: string;
  /** A confidential client (client_secret_post); without it, a public client that relies on PKCE alone. */
  clientSecret?: string;
  /** The ledger's `/auth/callback`, exactly as registered with the provider. */
  redirectUri: string;
  /** Where the provider sends the browser after signing out, as registered with it. */
  postLogoutRedirectUri?: string;
  /** Default `openid profile`. */
  scope?: string;
  /** Allow an `http:` issuer. For tests on http://127.0.0.1 only. */
  allowInsecureHttp?: boolean;
}

/**
 * What the browser keeps between `begin` and `finish`, in a short-lived HttpOnly cookie the ledger
 * signs or encrypts. Plain strings, so it serialises as JSON.
 */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A path on the ledger, never another origin. */
  returnTo: string;
}

export interface SignedIn {
  subject: string;
  name?: string;
  /** Kept for the `id_token_hint` of signing out. */
  idToken: string;
}

/**
 * The callback could not be completed: state, nonce or PKCE mismatch, a code used twice or expired,
 * the person declined at the provider. `reason` is for the log; the browser is told only to start
 * again.
 */
export class SignInFailed extends DomainError {
  constructor(
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super('sign_in_failed', 'invalid', 'The sign-in could not be completed. Start again.');
    this.name = 'SignInFailed';
  }
}

/**
 * The pages' sign-in with an external OpenID provider: authorization code flow with PKCE (S256),
 * state and nonce, all checked by openid-client. Stateless: what a sign-in needs between the two
 * legs travels in `PendingSignIn`.
 */
export class OidcSignIn {
  private constructor(
    private readonly config: client.Configuration,
    private readonly options: OidcSignInOptions,
  ) {}

  /** Reads the provider's discovery document; fails (and the service stops) if the issuer is unreachable or wrong. */
  static async discover(options: OidcSignInOptions): Promise<OidcSignIn> {
    const authentication = options.clientSecret ? client.ClientSecretPost(options.clientSecret) : client.None();
    const config = await client.discovery(
      new URL(options.issuer),
      options.clientId,
      { redirect_uris: [options.redirectUri], response_types: ['code'] },
      authentication,
      options.allowInsecureHttp ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    return new OidcSignIn(config, options);
  }

  get issuer(): string {
    return this.config.serverMetadata().issuer;
  }

  /** A new sign-in: the provider URL to send the browser to, and what to keep until it comes back. */
  async begin(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo: localReturnPath(returnTo),
    };
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.options.redirectUri,
      scope: this.options.scope ?? 'openid profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, pending };
  }

  /** The callback: exchanges the code and checks state, nonce, PKCE and the ID token. */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<SignedIn> {
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(
        this.config,
        callbackUrl,
        { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
        // The registered URI, not the one the request arrived on: behind a proxy they differ.
        { redirect_uri: this.options.redirectUri },
      );
    } catch (error) {
      throw new SignInFailed(describe(error), error);
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new SignInFailed('the provider returned no ID token');
    return {
      subject: claims.sub,
      ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
      idToken: tokens.id_token,
    };
  }

  /** RP-initiated logout at the provider, or null when it has no end_session_endpoint. */
  signOutUrl(idToken?: string): string | null {
    if (!this.config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(this.config, {
      ...(idToken ? { id_token_hint: idToken } : {}),
      ...(this.options.postLogoutRedirectUri ? { post_logout_redirect_uri: this.options.postLogoutRedirectUri } : {}),
    }).href;
  }
}

function describe(error: unknown): string {
  if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) {
    return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  }
  if (error instanceof Error) {
    const own = `${(error as { code?: string }).code ?? error.name}: ${error.message}`;
    // openid-client wraps oauth4webapi's error, whose message says what did not match.
    return error.cause ? `${own} (${describe(error.cause)})` : own;
  }
  return String(error);
}
