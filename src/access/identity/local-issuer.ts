import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CryptoKey, exportJWK, generateKeyPair, importJWK, JWK, jwtVerify, SignJWT } from 'jose';
import { readOrCreateSecret } from './key-files';

export const LOCAL_ISSUER = 'urn:alliance-ledger:local';
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const LOGIN_LINK_TYPE = 'login-link+jwt';
const ALG = 'EdDSA';

export interface TokenRequest {
  subject: string;
  name?: string;
  admin?: boolean;
  /** Seconds. */
  expiresIn: number;
}

/**
 * The embedded default's issuer: an Ed25519 key pair made on first start in the data directory
 * (mode 0600). `ledger token` and `ledger login-link` sign with it; the service trusts only it.
 */
export class LocalIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicKey: CryptoKey,
    readonly keyId: string,
    readonly audience: string,
  ) {}

  static async open(dataDir: string, audience: string): Promise<LocalIssuer> {
    const path = join(dataDir, 'auth', 'local-issuer.jwk.json');
    const text = await readOrCreateSecretAsync(path, async () => {
      const { privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
      return JSON.stringify({ ...(await exportJWK(privateKey)), kid: randomUUID(), alg: ALG });
    });
    const jwk = JSON.parse(text) as JWK & { kid: string };
    const privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
    const { d: _secret, ...publicJwk } = jwk;
    const publicKey = (await importJWK(publicJwk, ALG)) as CryptoKey;
    return new LocalIssuer(privateKey, publicKey, jwk.kid, audience);
  }

  /** A bearer token for the API. */
  accessToken(request: TokenRequest): Promise<string> {
    return this.sign(request, ACCESS_TOKEN_TYPE);
  }

  /** A single-use sign-in link's token for the pages (10 minutes). */
  loginLinkToken(request: Omit<TokenRequest, 'expiresIn'>): Promise<string> {
    return this.sign({ ...request, expiresIn: 600 }, LOGIN_LINK_TYPE);
  }

  /** Checks a login-link token; returns its claims. Single use is the caller's to enforce (by `jti`). */
  async verifyLoginLink(token: string) {
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: LOCAL_ISSUER,
      audience: this.audience,
      algorithms: [ALG],
      typ: LOGIN_LINK_TYPE,
      requiredClaims: ['sub', 'exp', 'jti'],
    });
    return payload;
  }

  private sign(request: TokenRequest, typ: string): Promise<string> {
    return new SignJWT({ ...(request.name ? { name: request.name } : {}), ...(request.admin ? { ledger_admin: true } : {}) })
      .setProtectedHeader({ alg: ALG, typ, kid: this.keyId })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(this.audience)
      .setSubject(request.subject)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${request.expiresIn}s`)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(this.privateKey);
  }
}

async function readOrCreateSecretAsync(path: string, create: () => Promise<string>): Promise<string> {
  const fresh = await create();
  return readOrCreateSecret(path, () => fresh);
}
