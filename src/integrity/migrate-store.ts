import { EventStore, NewEvent, StoredEvent } from '../event-store/event-store.port';
import { conflict } from '../shared/domain-error';
import { sameJson } from '../shared/canonical-json';
import { LEDGER_PREFIX, streamNames } from '../shared/stream-names';
import { PeriodCertification } from '../settlement/domain/certification';
import { summarizePeriod } from '../settlement/domain/period-summary';
import { alliancesIn, holdsAlliance } from './alliance-events';
import { eventLeafHash } from './event-leaf';
import { MerkleFrontier } from './merkle';

export interface StoreFingerprint {
  treeSize: number;
  root: string;
  /** Every period's summary as the events give it, by period id. */
  figures: Record<string, unknown>;
}

export interface MigrationReport {
  copied: number;
  alliances: Array<{
    allianceId: string;
    source: { treeSize: number; root: string };
    target: { treeSize: number; root: string };
    periods: number;
    digestsMatch: boolean;
    figuresMatch: boolean;
  }>;
  ok: boolean;
}

const BATCH = 500;

/**
 * Copies every ledger event from one store into another that holds none, in log order, each
 * stream with its own ids, revisions, data and metadata, so every alliance keeps its order and
 * therefore its tree. Then both stores are read again and compared: the digests and every
 * period's figures must be the same.
 */
export async function migrateStore(source: EventStore, target: EventStore, progress: (copied: number) => void = () => undefined): Promise<MigrationReport> {
  for (const allianceId of await alliancesIn(source)) {
    if (await holdsAlliance(target, allianceId)) throw conflict('store_not_empty', '--to', `the target already holds alliance ${allianceId}; migrate into an empty store`);
  }
  let pending: StoredEvent[] = [];
  let copied = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const first = pending[0].revision;
    const events: NewEvent[] = pending.map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata }));
    await target.append(pending[0].streamName, events, { expectedRevision: first === 0n ? 'no_stream' : first - 1n });
    copied += pending.length;
    progress(copied);
    pending = [];
  };
  for await (const event of source.readAll({ filter: { streamNamePrefixes: [LEDGER_PREFIX] } })) {
    if (pending.length >= BATCH || (pending.length > 0 && pending[0].streamName !== event.streamName)) await flush();
    pending.push(event);
  }
  await flush();

  const alliances: MigrationReport['alliances'] = [];
  for (const allianceId of await alliancesIn(source)) {
    const [before, after] = await Promise.all([fingerprint(source, allianceId), fingerprint(target, allianceId)]);
    alliances.push({
      allianceId,
      source: { treeSize: before.treeSize, root: before.root },
      target: { treeSize: after.treeSize, root: after.root },
      periods: Object.keys(before.figures).length,
      digestsMatch: before.treeSize === after.treeSize && before.root === after.root,
      figuresMatch: sameJson(before.figures, after.figures),
    });
  }
  return { copied, alliances, ok: alliances.every((alliance) => alliance.digestsMatch && alliance.figuresMatch) };
}

/** An alliance's digest and the figures of each of its periods, recomputed from one store. */
export async function fingerprint(store: EventStore, allianceId: string): Promise<StoreFingerprint> {
  const frontier = MerkleFrontier.empty();
  const fold = new PeriodCertification(allianceId, '');
  for await (const event of store.readAll({ filter: { streamNamePrefixes: [streamNames.alliancePrefix(allianceId)] } })) {
    frontier.append(eventLeafHash(event));
    fold.add(event);
  }
  const figures: Record<string, unknown> = {};
  for (const period of fold.state.periods) figures[period.periodId] = summarizePeriod(fold.state, period.periodId) ?? null;
  return { treeSize: frontier.size, root: frontier.root().toString('hex'), figures };
}
