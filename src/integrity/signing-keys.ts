import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomUUID, sign, verify } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory } from '../access/identity/key-files';

/** A public key as published: a JWK (RFC 8037) with when it was made and retired. */
export interface PublishedKey {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
}

interface StoredKey {
  kid: string;
  createdAt: string;
  retiredAt: string | null;
  /** The private JWK; null for a key imported from an export (it only verifies). */
  privateJwk: Record<string, string> | null;
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
}

export interface Signature {
  algorithm: 'Ed25519';
  keyId: string;
  /** base64url */
  value: string;
}

export const WELL_KNOWN_KEYS_PATH = '.well-known/alliance-ledger-keys.json';

/**
 * The service's Ed25519 signing keys, in `$LEDGER_DATA_DIR/signing/keys.json` (mode 0600). One is
 * active; rotating retires it and makes a new one. Retired keys are kept and published, so every
 * certificate ever signed can still be checked. The file is read again when another process
 * (`ledger keys rotate`) changes it.
 */
export class SigningKeys {
  private keys: StoredKey[] = [];
  private loadedAt = -1;
  private readonly objects = new Map<string, { privateKey: KeyObject | null; publicKey: KeyObject }>();

  private constructor(private readonly path: string) {}

  static open(dataDir: string): SigningKeys {
    const directory = join(dataDir, 'signing');
    ensurePrivateDirectory(directory);
    const keys = new SigningKeys(join(directory, 'keys.json'));
    if (!existsSync(keys.path)) keys.save([newKey(new Date())], 'wx');
    keys.reload();
    return keys;
  }

  sign(message: Buffer): Signature {
    const active = this.active();
    return { algorithm: 'Ed25519', keyId: active.kid, value: sign(null, message, this.objectsOf(active).privateKey!).toString('base64url') };
  }

  /** `valid`, `invalid`, or `unknown_key` when no key with that id was ever published here. */
  verify(message: Buffer, signature: Signature): 'valid' | 'invalid' | 'unknown_key' {
    this.reload();
    const key = this.keys.find((candidate) => candidate.kid === signature.keyId);
    if (!key) return 'unknown_key';
    if (signature.algorithm !== 'Ed25519') return 'invalid';
    return verify(null, message, this.objectsOf(key).publicKey, Buffer.from(signature.value, 'base64url')) ? 'valid' : 'invalid';
  }

  /** The JWK set published at the well-known URL: every key, the active one first. */
  published(): { keys: PublishedKey[] } {
    this.reload();
    const active = this.active();
    const ordered = [active, ...this.keys.filter((key) => key !== active).reverse()];
    return {
      keys: ordered.map((key) => ({
        ...key.publicJwk,
        kid: key.kid,
        alg: 'EdDSA',
        use: 'sig',
        status: key === active ? 'active' : 'retired',
        createdAt: key.createdAt,
        retiredAt: key === active ? null : (key.retiredAt ?? key.createdAt),
      })),
    };
  }

  /** Retires the active key and makes a new one; returns the new key's id. */
  rotate(now: Date): string {
    this.reload();
    const fresh = newKey(now);
    this.save([...this.keys.map((key) => (key.retiredAt === null && key.privateJwk ? { ...key, retiredAt: now.toISOString() } : key)), fresh], 'w');
    this.reload();
    return fresh.kid;
  }

  /** Adds the public keys of another installation (from an export being restored), to verify what they signed. */
  importPublic(published: ReadonlyArray<Pick<PublishedKey, 'kid' | 'x' | 'createdAt' | 'retiredAt'>>): number {
    this.reload();
    const known = new Set(this.keys.map((key) => key.kid));
    const added: StoredKey[] = published
      .filter((key) => !known.has(key.kid))
      .map((key) => ({ kid: key.kid, createdAt: key.createdAt, retiredAt: key.retiredAt ?? new Date().toISOString(), privateJwk: null, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: key.x } }));
    if (added.length > 0) {
      this.save([...added, ...this.keys], 'w');
      this.reload();
    }
    return added.length;
  }

  private active(): StoredKey {
    this.reload();
    const active = this.keys.filter((key) => key.privateJwk && key.retiredAt === null).at(-1);
    if (!active) throw new Error(`${this.path} holds no active signing key`);
    return active;
  }

  private objectsOf(key: StoredKey) {
    let objects = this.objects.get(key.kid);
    if (!objects) {
      objects = {
        privateKey: key.privateJwk ? createPrivateKey({ key: key.privateJwk, format: 'jwk' }) : null,
        publicKey: createPublicKey({ key: key.publicJwk, format: 'jwk' }),
      };
      this.objects.set(key.kid, objects);
    }
    return objects;
  }

  private reload(): void {
    const modified = statSync(this.path).mtimeMs;
    if (modified === this.loadedAt) return;
    this.keys = (JSON.parse(readFileSync(this.path, 'utf8')) as { keys: StoredKey[] }).keys;
    this.loadedAt = modified;
  }

  private save(keys: StoredKey[], flag: 'w' | 'wx'): void {
    const text = `${JSON.stringify({ keys }, null, 2)}\n`;
    if (flag === 'wx') {
      try {
        writeFileSync(this.path, text, { mode: 0o600, flag });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      return;
    }
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, this.path);
    this.loadedAt = -1;
  }
}

function newKey(now: Date): StoredKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicJwk = publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string };
  return { kid: randomUUID(), createdAt: now.toISOString(), retiredAt: null, privateJwk: privateKey.export({ format: 'jwk' }) as Record<string, string>, publicJwk };
}
