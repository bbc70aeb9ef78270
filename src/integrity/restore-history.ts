import { createInterface } from 'node:readline';
import { EventStore, NewEvent } from '../event-store/event-store.port';
import { allianceOfStream } from '../shared/stream-names';
import { conflict, invalid } from '../shared/domain-error';
import { holdsAlliance } from './alliance-events';
import { eventLeafHash } from './event-leaf';
import { EXPORT_FORMAT, ExportedEvent, ExportHeader, ExportTrailer } from './export-format';
import { MerkleFrontier } from './merkle';
import { SigningKeys } from './signing-keys';

export interface RestoreReport {
  allianceId: string;
  events: number;
  treeSize: number;
  root: string;
  /** The digest recomputed from the file equals the one it ends with. */
  digestMatches: true;
  keysImported: number;
}

const BATCH = 500;

/**
 * Loads an export into a store that holds nothing of the alliance: each stream gets its events
 * back with the same ids, revisions, data and metadata, in the order of the export, so the
 * alliance's tree — and every certificate's digest — comes out the same. The file is checked
 * against its own digest line before anything is written.
 */
export async function restoreHistory(store: EventStore, input: NodeJS.ReadableStream, keys: SigningKeys, readAgain: () => NodeJS.ReadableStream): Promise<RestoreReport> {
  const header = await checkFile(input);
  if (await holdsAlliance(store, header.allianceId)) {
    throw conflict('store_not_empty', 'FILE', `this store already holds events of alliance ${header.allianceId}; restore into an empty store`);
  }
  const keysImported = keys.importPublic(header.keys.keys);
  let pending: ExportedEvent[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const first = BigInt(pending[0].revision);
    const events: NewEvent[] = pending.map((event) => ({ id: event.id, type: event.type, data: event.data as Record<string, unknown>, metadata: event.metadata as NewEvent['metadata'] }));
    await store.append(pending[0].streamName, events, { expectedRevision: first === 0n ? 'no_stream' : first - 1n });
    pending = [];
  };
  let trailer: ExportTrailer | undefined;
  let count = 0;
  for await (const line of lines(readAgain())) {
    if (line.kind === 'event') {
      if (pending.length >= BATCH || (pending.length > 0 && pending[0].streamName !== line.streamName)) await flush();
      pending.push(line);
      count += 1;
    } else if (line.kind === 'digest') trailer = line;
  }
  await flush();
  return { allianceId: header.allianceId, events: count, treeSize: trailer!.treeSize, root: trailer!.root, digestMatches: true, keysImported };
}

/** Reads the whole file once: its shape, every event's alliance and revision, and its digest. */
async function checkFile(input: NodeJS.ReadableStream): Promise<ExportHeader> {
  let header: ExportHeader | undefined;
  let trailer: ExportTrailer | undefined;
  const frontier = MerkleFrontier.empty();
  const revisions = new Map<string, bigint>();
  let lineNumber = 0;
  for await (const line of lines(input)) {
    lineNumber += 1;
    const at = `line ${lineNumber}`;
    if (lineNumber === 1) {
      if (line.kind !== 'header' || line.format !== EXPORT_FORMAT || line.version !== 1) throw invalid('FILE', `${at} is not the header of an ${EXPORT_FORMAT} version 1`, 'not_an_export');
      header = line;
      continue;
    }
    if (trailer) throw invalid('FILE', `${at} follows the digest line`, 'export_malformed');
    if (line.kind === 'digest') {
      trailer = line;
      continue;
    }
    if (line.kind !== 'event') throw invalid('FILE', `${at} is neither an event nor the digest`, 'export_malformed');
    if (allianceOfStream(line.streamName) !== header!.allianceId) throw invalid('FILE', `${at}: stream ${line.streamName} is not alliance ${header!.allianceId}'s`, 'export_malformed');
    const expected = (revisions.get(line.streamName) ?? -1n) + 1n;
    if (BigInt(line.revision) !== expected) throw invalid('FILE', `${at}: ${line.streamName} revision ${line.revision} where ${expected} was due`, 'export_malformed');
    revisions.set(line.streamName, expected);
    if (line.index !== frontier.size) throw invalid('FILE', `${at}: index ${line.index} where ${frontier.size} was due`, 'export_malformed');
    frontier.append(eventLeafHash(line));
  }
  if (!header) throw invalid('FILE', 'is empty', 'not_an_export');
  if (!trailer) throw invalid('FILE', 'ends without its digest line: it was cut short', 'export_truncated');
  if (trailer.treeSize !== frontier.size || trailer.root !== frontier.root().toString('hex')) {
    throw invalid('FILE', `its events give root ${frontier.root().toString('hex')} over ${frontier.size}, not the ${trailer.root} over ${trailer.treeSize} it ends with: it was changed`, 'export_digest_mismatch');
  }
  return header;
}

async function* lines(input: NodeJS.ReadableStream): AsyncIterable<ExportedEvent | ExportHeader | ExportTrailer> {
  let number = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    number += 1;
    if (text.trim() === '') continue;
    try {
      yield JSON.parse(text);
    } catch {
      throw invalid('FILE', `line ${number} is not JSON`, 'export_malformed');
    }
  }
}
