import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory } from './key-files';

/**
 * Ids remembered until they expire, in a file of the data directory (auth/<name>), so what they
 * record survives a restart: sign-in links already used, sessions signed out. Expired ids are
 * dropped when the file is opened.
 */
export class ExpiringIds {
  private readonly ids = new Map<string, number>();
  private readonly path: string;

  constructor(dataDir: string, name: string) {
    ensurePrivateDirectory(join(dataDir, 'auth'));
    this.path = join(dataDir, 'auth', name);
    const now = Date.now() / 1000;
    if (existsSync(this.path)) {
      for (const line of readFileSync(this.path, 'utf8').split('\n')) {
        const [id, expires] = line.split(' ');
        if (id && Number(expires) > now) this.ids.set(id, Number(expires));
      }
    }
    writeFileSync(this.path, [...this.ids].map(([id, expires]) => `${id} ${expires}\n`).join(''), { mode: 0o600 });
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** True when the id was not held before; `expiresAt` in seconds since the epoch. */
  add(id: string, expiresAt: number): boolean {
    if (this.ids.has(id)) return false;
    this.ids.set(id, expiresAt);
    appendFileSync(this.path, `${id} ${expiresAt}\n`, { mode: 0o600 });
    return true;
  }
}
