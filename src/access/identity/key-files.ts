import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The data directory and everything in it are the owner's alone: 0700 for folders, 0600 for files. */
export function ensurePrivateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o700);
}

/** Reads a secret file, or creates it (exclusively, mode 0600) with `create()` when it is missing. */
export function readOrCreateSecret(path: string, create: () => string): string {
  ensurePrivateDirectory(dirname(path));
  if (!existsSync(path)) {
    try {
      writeFileSync(path, create(), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return readFileSync(path, 'utf8');
}
