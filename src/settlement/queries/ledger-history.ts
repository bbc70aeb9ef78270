import { TimeSlices } from '../../shared/time-slices';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppendResult, EVENT_STORE, EventStore, StoredEvent } from '../../event-store/event-store.port';
import { CommandServices } from '../../commanding/command-definition';
import { AllianceTotalsReader } from '../../schemes/alliance-totals-reader';
import { AllianceTotals } from '../../schemes/domain/alliance-totals';
import { Clock, CLOCK } from '../../shared/clock';
import { DomainEvent } from '../../shared/decider';
import { streamNames } from '../../shared/stream-names';
import { PeriodCertification } from '../domain/certification';
import { CertificateFigures, CertificateSealer, PeriodCertificate } from '../domain/summary.types';
import { CERTIFICATE_SEALER } from '../../commanding/command-definition';
import { comparePositions, parsePosition, Position } from '../../event-store/event-store.port';
import { explainPeriod, PeriodExplanation } from '../domain/explanation';
import { findLedgerPeriod, LedgerState } from '../domain/ledger';
import { firstCostInputs, notableInputs, withTotals } from '../../history/explained-period';
import { LedgerSnapshots } from '../../history/ledger-snapshots';
import { recordedAt } from '../../history/recorded-at';

/** How long a replay may keep the event loop before letting other work run. */
const SLICE_MS = 4;

export { recordedAt };

/** Reads an alliance's history from the event store: for the past (asAt), explanations and certificates. */
@Injectable()
export class LedgerHistory implements CommandServices {
  private readonly totals: AllianceTotalsReader;
  private readonly snapshots: LedgerSnapshots;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(CERTIFICATE_SEALER) private readonly sealer?: CertificateSealer,
  ) {
    this.totals = new AllianceTotalsReader(store);
    this.snapshots = new LedgerSnapshots(store, recordedAt);
  }

  /**
   * The alliance's ledger as it stood at `asAt` (now without it) with the explanation of one
   * period: its figures' events counted and subtotalled from snapshots, the first of them listed.
   * Reads the notable events and a page of each pool scheme's facts, never the whole history.
   */
  async explainedAsAt(allianceId: string, periodId: string, asAt?: Date): Promise<{ state: LedgerState; explanation?: PeriodExplanation }> {
    const now = await this.snapshots.foldAsAt(allianceId, { asAt });
    const state = now.ledger;
    const period = findLedgerPeriod(state, periodId);
    if (!state.terms || !period) return { state };
    const cutoff = period.certificate ? await this.lastInputOf(allianceId, period.certificate) : undefined;
    const atCutoff = cutoff ? await this.snapshots.foldAsAt(allianceId, { asAt, upTo: cutoff }) : now;
    const notable = notableInputs(await this.snapshots.notableAsAt(allianceId, asAt), state, periodId);
    const costs = await firstCostInputs(this.store, state, periodId, atCutoff.tally, { recordedBy: asAt?.getTime() ?? Number.POSITIVE_INFINITY, cutoff, recordedAt });
    const inputs = [...notable, ...costs].sort((a, b) => comparePositions(a.position, b.position));
    return { state, explanation: withTotals(explainPeriod(state, inputs, periodId, cutoff)!, state, atCutoff) };
  }

  /**
   * A certificate's last input in this store: the alliance's tree-size-th event, which is the same
   * event in every store, where the recorded position is only the closing store's (a history
   * migrated to EventStoreDB has other positions). Certificates from before tree sizes were
   * recorded give their position.
   */
  private async lastInputOf(allianceId: string, certificate: PeriodCertificate): Promise<Position | undefined> {
    const treeSize = certificate.ledger?.treeSize;
    if (treeSize !== undefined) return (await this.snapshots.positionOfEvent(allianceId, treeSize)) ?? undefined;
    return certificate.inputs.upToPosition ? parsePosition(certificate.inputs.upToPosition) : undefined;
  }

  /** The alliance's ledger as it stood at `asAt` (now without it), from the nearest snapshot: see LedgerSnapshots. */
  stateAsAt(allianceId: string, asAt?: Date): Promise<LedgerState> {
    return this.snapshots.stateAsAt(allianceId, asAt);
  }

  /**
   * The alliance's events in log order; with `asAt`, only those recorded by then. Streamed, and
   * every few milliseconds it gives the event loop back, so a replay of a large alliance never
   * holds up other requests for longer than that.
   */
  async *events(allianceId: string, asAt?: Date): AsyncIterable<StoredEvent> {
    const limit = asAt?.getTime();
    const slices = new TimeSlices(SLICE_MS);
    for await (const event of this.store.readAll({ filter: { streamNamePrefixes: [streamNames.alliancePrefix(allianceId)] } })) {
      if (limit === undefined || recordedAt(event) <= limit) yield event;
      if (slices.due()) await slices.yield();
    }
  }

  /** Folds the alliance's history (as it stood at `asAt`), keeping the inputs of one period when asked. */
  async replay(allianceId: string, periodId: string, options: { asAt?: Date; keepInputs?: boolean; trackLedgerDigest?: boolean } = {}): Promise<PeriodCertification> {
    const certification = new PeriodCertification(allianceId, periodId, options.keepInputs, options.trackLedgerDigest);
    for await (const event of this.events(allianceId, options.asAt)) certification.add(event);
    return certification;
  }

  /** ClosePeriod's figures: recomputed from every event recorded so far, not from the read models. */
  async certifyPeriod(allianceId: string, periodId: string): Promise<CertificateFigures> {
    const certification = await this.replay(allianceId, periodId, { trackLedgerDigest: true });
    return certification.certificate(this.clock.now().toISOString());
  }

  /** Signs certificates when the service has signing keys (src/integrity). */
  get sealCertificate(): CertificateSealer | undefined {
    return this.sealer;
  }

  /** Facts naming the period, counted in the event store itself: exact, where the read models may lag. */
  async countFacts(allianceId: string, periodId: string): Promise<number> {
    const configuration = new Set([streamNames.alliance(allianceId), streamNames.periods(allianceId)]);
    let count = 0;
    for await (const event of this.events(allianceId)) {
      if (!configuration.has(event.streamName) && (event.data as { periodId?: unknown } | null)?.periodId === periodId) count += 1;
    }
    return count;
  }

  today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  /** The bounds on an alliance's totals are checked against the event store, not the read models. */
  allianceTotals(allianceId: string): Promise<AllianceTotals> {
    return this.totals.read(allianceId);
  }

  appended(allianceId: string, streamName: string, events: readonly DomainEvent[], result: AppendResult): void {
    this.totals.appended(allianceId, streamName, events, result);
  }
}
