import { EventEmitter } from 'node:events';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager, ObjectLiteral, EntitySchema } from 'typeorm';
import { batches } from '../../event-store/batches';
import {
  collect,
  comparePositions,
  EVENT_STORE,
  EventFilter,
  EventStore,
  EventStoreUnavailableError,
  formatPosition,
  parsePosition,
  Position,
  StoredEvent,
  Subscription,
} from '../../event-store/event-store.port';
import { READ_MODELS } from '../../read-models/read-models.token';
import { ReadModelStore } from '../../read-models/read-model-data-source';
import { parseWithBigints, stringifyWithBigints } from '../../shared/bigint-json';
import { allianceOfStream, LEDGER_PREFIX } from '../../shared/stream-names';
import { evolveLedger, initialLedger, LEDGER_EVENT_TYPES, LedgerEvent, LedgerState } from '../domain/ledger';
import { STATEMENT_EVENT_TYPES, StatementEvent } from '../../statements/domain/statements.events';
import { LedgerRows, ledgerRows } from './ledger-rows';
import { ProjectionFailure, ProjectionFailures, ReadModelFreshness } from './projection-failures';
import { ReadModelVersions } from './read-model-versions';

export type { ProjectionFailure, ReadModelFreshness };

export const LEDGER_FILTER: EventFilter = { streamNamePrefixes: [LEDGER_PREFIX] };
const PROJECTION = 'settlement';
const BATCH_SIZE = 2000;
const INSERT_CHUNK = 200;
/** How many times catchUp starts again after another projector moved the checkpoint under it, before it says so. */
const MAX_ATTEMPTS = 1000;

/**
 * The checkpoint is not where the batch was read from: another process moved it (a concurrent
 * projector, or a rebuild), or the batch begins past it. Read again from the checkpoint.
 */
export class CheckpointMovedError extends Error {
  constructor(reason = 'was moved by another process') {
    super(`The settlement projection checkpoint ${reason}`);
  }
}

export interface RebuildProgress {
  events: number;
  position: Position;
  head: Position | null;
}

export interface ProjectionStatus {
  checkpoint: string | null;
  running: boolean;
  lastError: string | null;
  failure: ProjectionFailure | null;
}

/**
 * Keeps the settlement read models: per alliance, the ledger (a pure fold of its events) and the
 * rows derived from it. Each batch of events, its rows and the checkpoint commit in one
 * transaction; the checkpoint only moves by compare-and-set, so a crash or a second projector can
 * neither skip nor double-apply an event.
 */
@Injectable()
export class SettlementProjector implements OnApplicationShutdown {
  private readonly logger = new Logger(SettlementProjector.name);
  /** undefined until read from the database. */
  private checkpoint: Position | null | undefined;
  private readonly states = new Map<string, LedgerState>();
  private readonly progress = new EventEmitter();
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private wakeSleeper: (() => void) | undefined;
  private readonly failures = new ProjectionFailures(this.logger);
  private readonly versions = new ReadModelVersions();
  /** The ledger head as last looked up, and the store's local head then (see currentNow). */
  private knownHead: { log: bigint; head: Position | null } | undefined;
  private currentAnswer: { checkpoint: Position; freshness: ReadModelFreshness } | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
  ) {
    this.progress.setMaxListeners(0);
  }

  /** Follows the store live until stopped, resubscribing from the checkpoint after any failure. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeSleeper?.();
    await this.subscription?.stop();
    await this.loop;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  status(): ProjectionStatus {
    return { checkpoint: this.checkpointText(), running: this.running, lastError: this.failures.current?.error ?? null, failure: this.failures.current };
  }

  /**
   * Names what the alliance's read models hold right now (see ReadModelVersions): equal versions,
   * equal rows. Null before the projection has applied anything.
   */
  readModelVersion(allianceId: string): string | null {
    return this.versions.of(allianceId, this.checkpoint);
  }

  /** How stale the read models are right now: the checkpoint against the newest ledger event. */
  async freshness(): Promise<ReadModelFreshness> {
    const now = this.currentNow();
    if (now) return now;
    const checkpoint = await this.currentCheckpoint().catch(() => this.checkpoint ?? null);
    const base = { checkpoint: checkpoint ? formatPosition(checkpoint) : null };
    try {
      const head = await this.ledgerHead();
      if (head === null || (checkpoint && comparePositions(checkpoint, head) >= 0)) return { ...base, status: 'current', lagSeconds: 0 };
      const [oldest] = await collect(
        this.store.readAll({ fromPosition: checkpoint ?? 'start', filter: LEDGER_FILTER, maxCount: 2 }),
      ).then((events) => events.filter((event) => !checkpoint || comparePositions(event.position, checkpoint) > 0));
      const recorded = oldest ? Date.parse(oldest.metadata.recordedAt ?? '') || oldest.created.getTime() : Date.now();
      return { ...base, status: this.failures.current ? 'failing' : 'behind', lagSeconds: Math.max(0, Math.ceil((Date.now() - recorded) / 1000)) };
    } catch {
      return { ...base, status: this.failures.current ? 'failing' : 'unknown', lagSeconds: null };
    }
  }

  /**
   * Waits until every ledger event written so far is in the read models: by following the live
   * subscription when it runs, otherwise by reading and applying what is missing. False on timeout.
   */
  async waitUntilCurrent(timeoutMs = 5000): Promise<boolean> {
    if (this.currentNow()) return true;
    let head: Position | null;
    try {
      head = await this.ledgerHead();
    } catch (error) {
      // The read models still answer while the event store is away: they serve what they hold.
      if (error instanceof EventStoreUnavailableError) return false;
      throw error;
    }
    if (head === null) return true;
    // A projection stuck on an event will not catch up in time: answer at once, saying how stale (see freshness()).
    if (this.failures.current && !this.reached(head)) return false;
    const deadline = Date.now() + timeoutMs;
    while (!this.reached(head)) {
      if (Date.now() >= deadline) return false;
      if (this.running) await this.nextProgress(deadline - Date.now());
      else {
        try {
          await this.catchUp(deadline);
        } catch (error) {
          if (error instanceof EventStoreUnavailableError) return false;
          throw error;
        }
      }
    }
    return true;
  }

  /**
   * Reads from the checkpoint to the end of the log, as it stood when called, and applies it batch
   * by batch; it returns once the read models hold every event up to there. When another projector
   * moves the checkpoint meanwhile it starts again from where that one got to: each such move
   * applied events, so this ends. It throws, rather than return early, if it keeps being overtaken;
   * given a deadline (ms since the epoch), it returns when that passes instead, short of the head.
   */
  async catchUp(deadline = Infinity): Promise<void> {
    const head = await this.store.headPosition(LEDGER_FILTER);
    if (head === null) return;
    for (let attempt = 1; ; attempt += 1) {
      try {
        let after = await this.currentCheckpoint();
        let batch: StoredEvent[] = [];
        const events = this.store.readAll({ fromPosition: after ? { commit: after.commit, prepare: after.prepare } : 'start', filter: LEDGER_FILTER });
        for await (const event of events) {
          batch.push(event);
          if (batch.length >= BATCH_SIZE) {
            await this.apply(batch, after);
            after = event.position;
            batch = [];
          }
        }
        if (batch.length > 0) await this.apply(batch, after);
        if (this.reached(head)) return;
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) throw error;
      }
      if (Date.now() >= deadline) return;
      if (attempt >= MAX_ATTEMPTS) throw new Error(`The settlement projection did not catch up in ${attempt} attempts: another process kept moving its checkpoint`);
    }
  }

  /**
   * Applies a batch in one transaction with the checkpoint. `after` says where in the log the batch
   * was read from: the position just before its first event, null for the start. Events at or before
   * the checkpoint are skipped; a batch that begins past the checkpoint is refused, since applying
   * it would skip the events between.
   */
  apply(events: readonly StoredEvent[], after: Position | null): Promise<void> {
    return this.serially(async () => {
      const checkpoint = await this.currentCheckpoint();
      if (after && (!checkpoint || comparePositions(checkpoint, after) < 0)) {
        this.checkpoint = undefined;
        throw new CheckpointMovedError(`is behind the batch (${checkpoint ? formatPosition(checkpoint) : 'at the start'}, the batch was read after ${formatPosition(after)})`);
      }
      const fresh = checkpoint ? events.filter((event) => comparePositions(event.position, checkpoint) > 0) : [...events];
      if (fresh.length === 0) return;
      const last = fresh[fresh.length - 1].position;
      const touched = new Map<string, { state: LedgerState; last: Position }>();
      try {
        await this.readModels.dataSource.transaction(async (manager) => {
          await this.holdCheckpoint(manager, checkpoint);
          for (const [allianceId, allianceEvents] of groupByAlliance(fresh)) {
            const state = this.states.get(allianceId) ?? (await this.loadState(manager, allianceId)) ?? initialLedger(allianceId);
            const certifiedBefore = new Set(state.periods.filter((period) => period.certificate).map((period) => period.periodId));
            const schemes = new Set<string>();
            const signed = new Set<string>();
            for (const event of allianceEvents) {
              evolveLedger(state, event as unknown as LedgerEvent);
              if (typeof event.data?.schemeId === 'string') schemes.add(event.data.schemeId);
              if (STATEMENT_EVENT_TYPES.includes(event.type as StatementEvent['type'])) signed.add(event.data.periodId);
            }
            const include = { period: (id: string) => !certifiedBefore.has(id), scheme: (id: string) => schemes.has(id), signOffs: (id: string) => signed.has(id) };
            await this.upsertRows(manager, ledgerRows(state, include));
            await this.saveState(manager, state);
            touched.set(allianceId, { state, last: allianceEvents[allianceEvents.length - 1].position });
          }
          await this.moveCheckpoint(manager, checkpoint, last);
        });
      } catch (error) {
        // Ledgers are folded in place: after a failed transaction none of the cached ones can be trusted.
        this.states.clear();
        this.versions.forgetAll();
        this.checkpoint = undefined;
        throw error;
      }
      for (const [allianceId, { state, last: applied }] of touched) {
        this.states.set(allianceId, state);
        this.versions.applied(allianceId, applied);
      }
      this.checkpoint = last;
      this.progress.emit('progress');
    });
  }

  /**
   * Replays every ledger event into fresh read models, then swaps them in with the checkpoint in
   * one transaction: readers see the old rows until the new ones are complete.
   */
  rebuild(onProgress?: (progress: RebuildProgress) => void): Promise<{ events: number; alliances: number; checkpoint: string | null }> {
    return this.serially(async () => {
      const head = await this.store.headPosition(LEDGER_FILTER);
      const states = new Map<string, LedgerState>();
      let count = 0;
      let last: Position | null = null;
      for await (const event of this.store.readAll({ filter: LEDGER_FILTER })) {
        const allianceId = allianceOfStream(event.streamName);
        if (allianceId && LEDGER_EVENT_TYPES.has(event.type)) {
          let state = states.get(allianceId);
          if (!state) states.set(allianceId, (state = initialLedger(allianceId)));
          evolveLedger(state, event as unknown as LedgerEvent);
        }
        count += 1;
        last = event.position;
        if (onProgress && count % 10000 === 0) onProgress({ events: count, position: last, head });
      }
      if (onProgress && last) onProgress({ events: count, position: last, head });
      const { entities } = this.readModels;
      await this.readModels.dataSource.transaction(async (manager) => {
        for (const entity of [entities.SignOff, entities.KpiScore, entities.PartnerStatement, entities.PeriodSummary, entities.SchemePosition, entities.Alliance, entities.LedgerState]) {
          await manager.createQueryBuilder().delete().from(entity).execute();
        }
        for (const state of states.values()) {
          await this.upsertRows(manager, ledgerRows(state, { period: () => true, scheme: () => true, signOffs: () => true }));
          await this.saveState(manager, state);
        }
        await this.ensureCheckpointRow(manager);
        await manager.update(entities.Checkpoint, { name: PROJECTION }, { position: last ? formatPosition(last) : null, updatedAt: new Date().toISOString() });
      });
      this.states.clear();
      this.versions.forgetAll();
      for (const [allianceId, state] of states) this.states.set(allianceId, state);
      this.checkpoint = last;
      this.progress.emit('progress');
      return { events: count, alliances: states.size, checkpoint: last ? formatPosition(last) : null };
    });
  }

  /**
   * Follows the store, batch by batch. When a batch fails its events are applied one at a time,
   * so those before the culprit are kept and the culprit is named in the status; then the
   * projection resubscribes from its checkpoint with growing back-off, for as long as it runs: a
   * transient fault (PostgreSQL restarting) heals itself, a permanent one stays visible in /health.
   */
  private async follow(): Promise<void> {
    while (this.running) {
      let batch: StoredEvent[] = [];
      let after: Position | null = null;
      try {
        after = await this.currentCheckpoint();
        this.subscription = this.store.subscribeToAll({ fromPosition: after ?? 'start', filter: LEDGER_FILTER });
        for await (batch of batches(this.subscription, BATCH_SIZE)) {
          await this.apply(batch, after);
          after = batch[batch.length - 1].position;
          this.failures.recovered();
        }
      } catch (error) {
        if (!this.running) break;
        if (error instanceof CheckpointMovedError) continue;
        await this.subscription?.stop();
        const culprit = batch.length > 0 ? await this.isolate(batch, after) : { event: null, error };
        if (culprit === undefined) continue;
        const delayMs = this.failures.failed(culprit.event, culprit.error);
        await this.sleep(delayMs);
      } finally {
        await this.subscription?.stop();
        this.subscription = undefined;
      }
    }
  }

  /** Applies a failed batch one event at a time: the event that fails is the culprit; undefined when none does (a transient fault). */
  private async isolate(batch: readonly StoredEvent[], after: Position | null): Promise<{ event: StoredEvent; error: unknown } | undefined> {
    for (const event of batch) {
      try {
        await this.apply([event], after);
        after = event.position;
      } catch (error) {
        if (error instanceof CheckpointMovedError) return undefined;
        return { event, error };
      }
    }
    this.failures.recovered();
    return undefined;
  }

  /** A back-off that stop() cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    }).then(() => {
      this.wakeSleeper = undefined;
    });
  }

  /**
   * Without waiting: 'current' when this process can tell that the read models hold every ledger
   * event, that is when the store's local head (EventStore.localHead, embedded store only) has not
   * moved since the ledger head was last looked up and the checkpoint has reached that; otherwise
   * undefined, and the caller asks the store. Reads ask this several times each, so it is
   * answered from memory while nothing is written.
   */
  currentNow(): ReadModelFreshness | undefined {
    const known = this.knownHead;
    if (!known || !this.checkpoint || known.log !== this.store.localHead?.()) return undefined;
    if (known.head !== null && comparePositions(this.checkpoint, known.head) < 0) return undefined;
    if (this.currentAnswer?.checkpoint !== this.checkpoint) this.currentAnswer = { checkpoint: this.checkpoint, freshness: { checkpoint: formatPosition(this.checkpoint), status: 'current', lagSeconds: 0 } };
    return this.currentAnswer.freshness;
  }

  /** The newest ledger event's position, noting the store's local head it was looked up at (see currentNow). */
  private async ledgerHead(): Promise<Position | null> {
    const log = this.store.localHead?.();
    const head = await this.store.headPosition(LEDGER_FILTER);
    if (log !== undefined) this.knownHead = { log, head };
    return head;
  }

  private checkpointText(): string | null {
    return this.checkpoint ? formatPosition(this.checkpoint) : null;
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private reached(head: Position): boolean {
    return this.checkpoint !== undefined && this.checkpoint !== null && comparePositions(this.checkpoint, head) >= 0;
  }

  private nextProgress(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(timeoutMs, 0));
      const self = this.progress;
      function done() {
        clearTimeout(timer);
        self.off('progress', done);
        resolve();
      }
      self.once('progress', done);
    });
  }

  private async currentCheckpoint(): Promise<Position | null> {
    if (this.checkpoint === undefined) {
      const row = await this.readModels.dataSource.manager.findOne(this.readModels.entities.Checkpoint, { where: { name: PROJECTION } });
      this.checkpoint = row?.position ? parsePosition(row.position) : null;
    }
    return this.checkpoint;
  }

  private async moveCheckpoint(manager: EntityManager, from: Position | null, to: Position): Promise<void> {
    await this.ensureCheckpointRow(manager);
    const query = manager
      .createQueryBuilder()
      .update(this.readModels.entities.Checkpoint)
      .set({ position: formatPosition(to), updatedAt: new Date().toISOString() })
      .where('name = :name', { name: PROJECTION });
    if (from) query.andWhere('position = :from', { from: formatPosition(from) });
    else query.andWhere('position IS NULL');
    const result = await query.execute();
    if (result.affected !== 1) throw new CheckpointMovedError();
  }

  /**
   * On PostgreSQL, locks the checkpoint row for the transaction and checks it still stands where
   * this projector last saw it. Without the lock, another projector could commit between reading
   * the checkpoint and loading a saved ledger, and this one would fold that projector's events a
   * second time into what it loaded (a period twice, then one upsert writing a row twice) before
   * the compare-and-set at the end could refuse it. SQLite lets one writer at a time in anyway.
   */
  private async holdCheckpoint(manager: EntityManager, expected: Position | null): Promise<void> {
    if (this.readModels.dialect !== 'postgres') return;
    await this.ensureCheckpointRow(manager);
    const row = await manager
      .createQueryBuilder(this.readModels.entities.Checkpoint, 'checkpoint')
      .setLock('pessimistic_write')
      .where('checkpoint.name = :name', { name: PROJECTION })
      .getOne();
    const current = row?.position ?? null;
    if (current !== (expected ? formatPosition(expected) : null)) throw new CheckpointMovedError();
  }

  private async ensureCheckpointRow(manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(this.readModels.entities.Checkpoint)
      .values({ name: PROJECTION, position: null, updatedAt: new Date().toISOString() })
      .orIgnore()
      .execute();
  }

  private async loadState(manager: EntityManager, allianceId: string): Promise<LedgerState | undefined> {
    const row = await manager.findOne(this.readModels.entities.LedgerState, { where: { allianceId } });
    return row ? parseWithBigints<LedgerState>(row.state) : undefined;
  }

  private async saveState(manager: EntityManager, state: LedgerState): Promise<void> {
    await manager.upsert(
      this.readModels.entities.LedgerState,
      { allianceId: state.allianceId, state: stringifyWithBigints(state), eventCount: state.eventCount, updatedAt: new Date().toISOString() },
      ['allianceId'],
    );
  }

  private async upsertRows(manager: EntityManager, rows: LedgerRows): Promise<void> {
    const { entities } = this.readModels;
    if (rows.alliance) await manager.upsert(entities.Alliance, rows.alliance, ['allianceId']);
    await upsertAll(manager, entities.PeriodSummary, rows.summaries, ['allianceId', 'periodId']);
    await upsertAll(manager, entities.PartnerStatement, rows.statements, ['allianceId', 'periodId', 'partnerId']);
    await upsertAll(manager, entities.KpiScore, rows.kpiScores, ['allianceId', 'periodId', 'kpiId']);
    await upsertAll(manager, entities.SchemePosition, rows.schemes, ['allianceId', 'schemeId']);
    await upsertAll(manager, entities.SignOff, rows.signOffs, ['allianceId', 'periodId', 'partnerId']);
  }

}

async function upsertAll<Row extends ObjectLiteral>(manager: EntityManager, entity: EntitySchema<Row>, rows: Row[], keys: string[]): Promise<void> {
  for (let index = 0; index < rows.length; index += INSERT_CHUNK) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await manager.upsert(entity, rows.slice(index, index + INSERT_CHUNK) as any, keys);
  }
}

function groupByAlliance(events: readonly StoredEvent[]): Map<string, StoredEvent[]> {
  const groups = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const allianceId = allianceOfStream(event.streamName);
    if (!allianceId || !LEDGER_EVENT_TYPES.has(event.type)) continue;
    const group = groups.get(allianceId);
    if (group) group.push(event);
    else groups.set(allianceId, [event]);
  }
  return groups;
}

