import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { AppConfig } from '../config/app-config';
import { createEventStore } from '../event-store/event-store.factory';
import { EventStore } from '../event-store/event-store.port';
import { alliancesIn, allianceEvents, recordedDigests } from '../integrity/alliance-events';
import { backupEmbeddedStore, isSqliteFile, restoreEmbeddedBackup } from '../integrity/backup';
import { exportHistory } from '../integrity/export-history';
import { migrateStore } from '../integrity/migrate-store';
import { restoreHistory } from '../integrity/restore-history';
import { SigningKeys } from '../integrity/signing-keys';
import { AllianceVerification, verifyAlliance } from '../integrity/verification';
import { invalid } from '../shared/domain-error';
import { progressBar } from './progress-bar';

export interface IntegrityIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

export interface IntegrityOptions {
  alliance?: string;
  out?: string;
  to?: string;
}

/** `ledger verify|export|restore|migrate|backup|keys`: straight on the event store and the keys, without the read models. */
export async function runIntegrityCommand(command: string, args: string[], options: IntegrityOptions, config: AppConfig, io: IntegrityIo): Promise<number> {
  const print = (value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  const keys = SigningKeys.open(config.dataDir);
  if (command === 'keys') {
    if (args[0] === 'rotate') {
      const keyId = keys.rotate(new Date());
      io.stderr.write(`New signing key ${keyId}; the previous one is retired and still published.\n`);
    } else if (args[0] !== undefined && args[0] !== 'list') throw invalid('keys', 'is "keys list" or "keys rotate"');
    print(keys.published());
    return 0;
  }
  if (command === 'restore') {
    const [file] = args;
    if (!file) throw invalid('FILE', 'is required: an export (NDJSON) or a backup (SQLite)');
    if (isSqliteFile(file)) {
      if (config.eventStore.kind !== 'embedded') throw invalid('EVENT_STORE', 'a backup restores into the embedded store', 'not_embedded');
      await restoreEmbeddedBackup(file, config.eventStore.path, keys);
      return withStore(config, async (store) => report(io, await verifyAll(store, keys, undefined), { restored: file }));
    }
    return withStore(config, async (store) => {
      const restored = await restoreHistory(store, createReadStream(file), keys, () => createReadStream(file));
      return report(io, await verifyAll(store, keys, restored.allianceId), { restored });
    });
  }
  if (command === 'migrate') {
    if (!options.to || !/^(esdb|esdb\+discover|kurrentdb|kdb):\/\//.test(options.to)) throw invalid('--to', 'is required: an EventStoreDB connection string, e.g. esdb://localhost:2113?tls=false');
    return withStore(config, async (source) => {
      // The gRPC client is loaded only for a migration, so the other commands start without it.
      const { EventStoreDbStore } = await import('../event-store/eventstoredb/eventstoredb-event-store');
      const target = EventStoreDbStore.connect(options.to!.replace(/^(kurrentdb|kdb)/, 'esdb'));
      try {
        const draw = progressBar(io.stderr, 'Copying');
        const result = await migrateStore(source, target, (copied) => draw(copied, copied, `${copied.toLocaleString('en-GB')} events`));
        print(result);
        if (!result.ok) io.stderr.write('The copy differs from the source: see digestsMatch and figuresMatch.\n');
        return result.ok ? 0 : 1;
      } finally {
        await target.close();
      }
    });
  }
  return withStore(config, async (store) => {
    switch (command) {
      case 'verify':
        return report(io, await verifyAll(store, keys, options.alliance));
      case 'export': {
        if (!options.alliance) throw invalid('--alliance', 'is required');
        const out = options.out ? createWriteStream(options.out, { flags: 'wx' }) : io.stdout;
        for await (const line of exportHistory(store, options.alliance, keys, new Date())) {
          if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
        }
        if (options.out) {
          out.end();
          await once(out, 'finish');
        }
        return 0;
      }
      case 'backup': {
        const [file] = args;
        if (!file) throw invalid('FILE', 'is required: where to write the backup');
        print(await backupEmbeddedStore(store, file, keys));
        return 0;
      }
      default:
        throw invalid('command', `"${command}" is not a ledger command`);
    }
  });
}

async function withStore(config: AppConfig, work: (store: EventStore) => Promise<number>): Promise<number> {
  const store = createEventStore(config.eventStore);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function verifyAll(store: EventStore, keys: SigningKeys, allianceId: string | undefined): Promise<AllianceVerification[]> {
  const alliances = allianceId ? [allianceId] : await alliancesIn(store);
  const results: AllianceVerification[] = [];
  for (const id of alliances) results.push(await verifyAlliance(id, allianceEvents(store, id), recordedDigests(store, id), keys));
  return results;
}

/** JSON on stdout; on a break, one line per broken alliance on stderr and exit 1. */
function report(io: IntegrityIo, results: AllianceVerification[], extra: Record<string, unknown> = {}): number {
  io.stdout.write(`${JSON.stringify({ ...extra, ok: results.every((result) => result.ok), alliances: results }, null, 2)}\n`);
  for (const result of results.filter((candidate) => !candidate.ok)) {
    const broken = result.firstBreak;
    const where = broken
      ? `${broken.problem} event at position ${broken.position ?? '?'} (tree index ${broken.index}): ${[broken.streamName, broken.revision !== null ? `revision ${broken.revision}` : null, broken.type, broken.naturalId].filter(Boolean).join(', ')}: ${broken.detail}`
      : 'certificates do not verify';
    io.stderr.write(`BROKEN alliance ${result.allianceId}: ${where}. Certificates affected: ${result.affectedCertificates.join(', ') || 'none'}\n`);
  }
  return results.every((result) => result.ok) ? 0 : 1;
}
