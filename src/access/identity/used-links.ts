import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory } from './key-files';

/**
 * Remembers the sign-in links already used until they expire, in a file of the data directory,
 * so a link works once even across a restart.
 */
export class UsedLinks {
  private readonly used = new Map<string, number>();
  private readonly path: string;

  constructor(dataDir: string) {
    ensurePrivateDirectory(join(dataDir, 'auth'));
    this.path = join(dataDir, 'auth', 'used-login-links');
    const now = Date.now() / 1000;
    if (existsSync(this.path)) {
      for (const line of readFileSync(this.path, 'utf8').split('\n')) {
        const [id, expires] = line.split(' ');
        if (id && Number(expires) > now) this.used.set(id, Number(expires));
      }
    }
    writeFileSync(this.path, [...this.used].map(([id, expires]) => `${id} ${expires}\n`).join(''), { mode: 0o600 });
  }

  /** True the first time a link id is seen; false for a link used before. */
  claim(id: string, expiresAt: number): boolean {
    if (this.used.has(id)) return false;
    this.used.set(id, expiresAt);
    appendFileSync(this.path, `${id} ${expiresAt}\n`, { mode: 0o600 });
    return true;
  }
}
