import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { EventStore } from '../event-store/event-store.port';
import { conflict, invalid } from '../shared/domain-error';
import { PublishedKey, SigningKeys } from './signing-keys';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Whether a file is a SQLite database (a backup) rather than an NDJSON export. */
export function isSqliteFile(path: string): boolean {
  const descriptor = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    return readSync(descriptor, head, 0, 16, 0) === 16 && head.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(descriptor);
  }
}

/**
 * An online backup of the embedded store through SQLite's backup API: pages are copied while the
 * service keeps writing, and the copy is one consistent snapshot of the log, digests included.
 */
export async function backupEmbeddedStore(store: EventStore, destination: string, keys: SigningKeys): Promise<{ file: string; bytes: number }> {
  if (!(store instanceof SqliteEventStore)) throw invalid('EVENT_STORE', 'backup copies the embedded store; back EventStoreDB up with its own tools (docs/operations.md)', 'not_embedded');
  if (existsSync(destination)) throw conflict('backup_exists', 'FILE', `${destination} exists; name a new file`);
  await store.backup(destination);
  // The public keys go with the copy, so its certificates can be checked wherever it is restored.
  const copy = new Database(destination);
  try {
    copy.prepare("INSERT OR REPLACE INTO digest_meta (key, value) VALUES ('public_keys', ?)").run(JSON.stringify(keys.published().keys));
  } finally {
    copy.close();
  }
  return { file: destination, bytes: statSync(destination).size };
}

/**
 * Puts a backup in place of an embedded store that holds no events (the service stopped), again
 * through the backup API, after SQLite's own integrity check of the backup.
 */
export async function restoreEmbeddedBackup(backup: string, storePath: string, keys: SigningKeys): Promise<void> {
  const source = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    const check = source.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw invalid('FILE', `is a damaged SQLite file (${String(check)})`, 'backup_damaged');
    const hasEvents = source.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'").pluck().get() as number;
    if (!hasEvents) throw invalid('FILE', 'is a SQLite file but not a ledger event store', 'not_an_event_store');
    if (existsSync(storePath)) {
      const target = new Database(storePath, { readonly: true });
      try {
        const table = target.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'").pluck().get() as number;
        const events = table ? (target.prepare('SELECT count(*) FROM events').pluck().get() as number) : 0;
        if (events > 0) throw conflict('store_not_empty', 'LEDGER_DATA_DIR', `${storePath} already holds ${events} events; restore a backup into an empty data directory`);
      } finally {
        target.close();
      }
    }
    await source.backup(storePath);
    const published = source.prepare("SELECT value FROM digest_meta WHERE key = 'public_keys'").pluck().get() as string | undefined;
    if (published) keys.importPublic(JSON.parse(published) as PublishedKey[]);
  } finally {
    source.close();
  }
}
