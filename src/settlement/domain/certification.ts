import { createHash, Hash } from 'node:crypto';
import { formatPosition, Position } from '../../event-store/event-store.port';
import { canonicalJson, sameJson } from '../../shared/canonical-json';
import { notFound } from '../../shared/domain-error';
import { eventLeafHash } from '../../integrity/event-leaf';
import { MerkleFrontier, TREE_ALGORITHM } from '../../integrity/merkle';
import { evolveLedger, findLedgerPeriod, initialLedger, LEDGER_EVENT_TYPES, LedgerEvent, LedgerState } from './ledger';
import { summarizePeriod } from './period-summary';
import { RecordedEvent } from './recorded-event';
import { CertificateFigures, PeriodCertificate, PeriodSummary } from './summary.types';

/**
 * Whether an event is an input to a period's figures: the alliance's configuration, the periods up
 * to it (with earlier certificates), every scheme fact recorded in it or earlier, and its own
 * safety facts and measurements. Judged on the ledger as it stands just after the event, so it
 * works in one pass: a period opened later than the one certified has a higher sequence.
 */
export function isPeriodInput(event: RecordedEvent, state: LedgerState, periodId: string): boolean {
  const sequence = (id: string) => state.periods.find((period) => period.periodId === id)?.sequence;
  const target = sequence(periodId);
  const atOrBefore = (id: string, strictly = false) => {
    const other = sequence(id);
    if (other === undefined) return false;
    return target === undefined || (strictly ? other < target : other <= target);
  };
  switch (event.type) {
    case 'AllianceFormed':
    case 'KpiDefined':
    case 'SchemeRegistered':
      return true;
    case 'PeriodOpened':
      return atOrBefore(event.data.periodId);
    case 'PeriodClosed':
      return atOrBefore(event.data.periodId, true);
    case 'PeriodCancelled':
      return atOrBefore(event.data.periodId);
    case 'PeriodCloseProposed':
    case 'PeriodCloseRejected':
    case 'StatementAcknowledged':
    case 'StatementDisputed':
      // Proposing is not an input (approving compares the digest with the one proposed); sign-offs
      // come after certification, about the figures: neither is an input to them.
      return false;
    case 'SafetyIncidentReported':
    case 'HoursWorkedRecorded':
    case 'KpiMeasurementRecorded':
      return event.data.periodId === periodId;
    default:
      return LEDGER_EVENT_TYPES.has(event.type) && atOrBefore(event.data.periodId);
  }
}

/** The digest line of an input: `stream \n revision \n type \n canonical data \n`. */
function digestLine(event: RecordedEvent): string {
  return `${event.streamName}\n${event.revision}\n${event.type}\n${canonicalJson(event.data)}\n`;
}

/**
 * Folds an alliance's events in log order, hashing the inputs of one period as they pass, so a
 * period can be certified (or checked) from an alliance of any size in one pass.
 */
export class PeriodCertification {
  readonly state: LedgerState;
  private readonly hash: Hash = createHash('sha256');
  private inputCount = 0;
  private last: Position | null = null;
  /** Filled only when asked for (explanations); certification itself keeps no events. */
  readonly inputs: RecordedEvent[] = [];
  /** The Merkle tree of every event added, for the certificate's ledger digest; only when certifying. */
  private readonly tree: MerkleFrontier | null;

  constructor(
    allianceId: string,
    readonly periodId: string,
    private readonly keepInputs = false,
    trackLedgerDigest = false,
  ) {
    this.state = initialLedger(allianceId);
    this.tree = trackLedgerDigest ? MerkleFrontier.empty() : null;
  }

  add(event: RecordedEvent): void {
    this.tree?.append(eventLeafHash(event));
    if (LEDGER_EVENT_TYPES.has(event.type)) evolveLedger(this.state, event as unknown as LedgerEvent);
    this.last = event.position;
    if (!isPeriodInput(event, this.state, this.periodId)) return;
    this.hash.update(digestLine(event));
    this.inputCount += 1;
    if (this.keepInputs) this.inputs.push(event);
  }

  /** The figures closing the period would certify; the recorded certificate when the period is already closed. */
  certificate(certifiedAt: string): CertificateFigures {
    const period = findLedgerPeriod(this.state, this.periodId);
    if (!period) throw notFound('period_not_found', 'periodId', `period ${this.periodId} has not been opened`);
    if (period.certificate) return period.certificate;
    const summary = summarizePeriod(this.state, this.periodId)!;
    return {
      certifiedAt,
      summary: { ...summary, status: 'certified' },
      inputs: { digest: `sha256:${this.hash.copy().digest('hex')}`, eventCount: this.inputCount, upToPosition: this.last ? formatPosition(this.last) : null },
      ledger: this.tree ? { algorithm: TREE_ALGORITHM, treeSize: this.tree.size, root: this.tree.root().toString('hex') } : null,
    };
  }
}

export interface CertificateCheck {
  allianceId: string;
  periodId: string;
  certifiedAt: string;
  recorded: PeriodCertificate['inputs'];
  recomputed: { digest: string; eventCount: number };
  digestMatches: boolean;
  figuresMatch: boolean;
  /** The recomputed figures, when they differ from the certified ones. */
  recomputedSummary?: PeriodSummary;
}

/** Compares a period recomputed from its certificate's input events with what the certificate recorded. */
export function compareWithCertificate(recomputation: PeriodCertification, certificate: PeriodCertificate): CertificateCheck {
  const recomputed = recomputation.certificate(certificate.certifiedAt);
  const figuresMatch = sameJson(recomputed.summary, certificate.summary);
  return {
    allianceId: recomputation.state.allianceId,
    periodId: recomputation.periodId,
    certifiedAt: certificate.certifiedAt,
    recorded: certificate.inputs,
    recomputed: { digest: recomputed.inputs.digest, eventCount: recomputed.inputs.eventCount },
    digestMatches: recomputed.inputs.digest === certificate.inputs.digest,
    figuresMatch,
    ...(figuresMatch ? {} : { recomputedSummary: recomputed.summary }),
  };
}
