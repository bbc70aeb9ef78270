import { conflict, DomainError, forbidden } from '../../shared/domain-error';
import { CertificateFigures, CertificateSealer, PeriodCertificate } from '../../settlement/domain/summary.types';
import { PeriodEvent } from './periods.events';
import { CommandOf, PeriodEntry, PeriodsState, requirePeriod } from './periods.state';

/**
 * Closing a period. With one approval, ClosePeriod certifies at once. With two, one person
 * proposes the figures and another approves exactly those figures, provided nothing recorded
 * since has changed their inputs (the digest says so).
 */

export function closeAtOnce(command: CommandOf<'ClosePeriod'>, state: PeriodsState): PeriodEvent[] {
  const period = requirePeriod(state, command.periodId);
  if (period.status === 'closed') return [];
  requireClosable(state, period, command.figures);
  if (command.closeApprovals === 2) {
    throw conflict(
      'approval_required',
      'periodId',
      `alliance ${command.allianceId} closes a period with two people: ProposePeriodClose, then ApprovePeriodClose by someone else`,
    );
  }
  const { certifiedAt, summary, inputs, ledger } = command.figures;
  const certificate = sealed(command, { certifiedAt, summary, inputs, proposedBy: command.actor, approvedBy: null, ledger });
  return [{ type: 'PeriodClosed', data: { allianceId: command.allianceId, periodId: command.periodId, certificate } }];
}

export function proposeClose(command: CommandOf<'ProposePeriodClose'>, state: PeriodsState): PeriodEvent[] {
  const period = requirePeriod(state, command.periodId);
  if (period.status === 'closed') throw conflict('period_closed', 'periodId', `period ${period.periodId} is already closed`);
  requireClosable(state, period, command.figures);
  const { proposal } = period;
  if (proposal && proposal.proposedBy === command.actor && proposal.inputs.digest === command.figures.inputs.digest) return [];
  const { certifiedAt, summary, inputs } = command.figures;
  return [
    {
      type: 'PeriodCloseProposed',
      data: { allianceId: command.allianceId, periodId: command.periodId, proposedBy: command.actor, proposedAt: certifiedAt, summary, inputs },
    },
  ];
}

export function approveClose(command: CommandOf<'ApprovePeriodClose'>, state: PeriodsState): PeriodEvent[] {
  const period = requirePeriod(state, command.periodId);
  if (period.status === 'closed') return [];
  const proposal = requireProposal(period);
  if (proposal.proposedBy === command.actor) {
    throw forbidden('four_eyes', 'periodId', `${command.actor} proposed this close; someone else must approve it`);
  }
  if (proposal.inputs.digest !== command.figures.inputs.digest) {
    throw conflict(
      'proposal_stale',
      'periodId',
      `events recorded since ${proposal.proposedAt} change the inputs of the proposed figures (${proposal.inputs.digest}, now ${command.figures.inputs.digest}); propose again`,
    );
  }
  const certificate = sealed(command, {
    certifiedAt: command.figures.certifiedAt,
    summary: proposal.summary,
    inputs: proposal.inputs,
    proposedBy: proposal.proposedBy,
    approvedBy: command.actor,
    // The whole history as it stands at the approval: that is when the period closes.
    ledger: command.figures.ledger,
  });
  return [{ type: 'PeriodClosed', data: { allianceId: command.allianceId, periodId: command.periodId, certificate } }];
}

export function rejectClose(command: CommandOf<'RejectPeriodClose'>, state: PeriodsState): PeriodEvent[] {
  const period = requirePeriod(state, command.periodId);
  if (period.status === 'closed') throw conflict('period_closed', 'periodId', `period ${period.periodId} is already closed`);
  requireProposal(period);
  return [{ type: 'PeriodCloseRejected', data: { allianceId: command.allianceId, periodId: command.periodId, reason: command.reason } }];
}

/** The certificate with its signature, when the command brings a sealer. */
function sealed(
  command: { allianceId: string; periodId: string; seal?: CertificateSealer },
  certificate: Omit<PeriodCertificate, 'signature'>,
): Omit<PeriodCertificate, 'signature'> & { signature?: PeriodCertificate['signature'] } {
  return command.seal ? { ...certificate, signature: command.seal(command.allianceId, command.periodId, certificate) } : certificate;
}

function requireProposal(period: PeriodEntry) {
  if (!period.proposal) throw conflict('no_close_proposal', 'periodId', `nobody has proposed closing period ${period.periodId}; ProposePeriodClose first`);
  return period.proposal;
}

/** What must hold for any close: the period is open, earlier ones are closed, and the figures are complete. */
function requireClosable(state: PeriodsState, period: PeriodEntry, figures: CertificateFigures): void {
  if (period.status === 'cancelled') throw conflict('period_cancelled', 'periodId', `period ${period.periodId} was cancelled and cannot be closed`);
  const earlierOpen = state.periods.find((candidate) => candidate.sequence < period.sequence && candidate.status === 'open');
  if (earlierOpen) throw conflict('period_close_out_of_order', 'periodId', `period ${earlierOpen.periodId} must be closed first; periods close in order`);
  const { performance } = figures.summary;
  if (performance.missingKpis.length > 0) {
    throw new DomainError(
      'kpi_values_missing',
      'conflict',
      `period ${period.periodId} cannot close: no value for KPI ${performance.missingKpis.join(', ')}`,
      performance.missingKpis.map((kpiId) => ({ field: `kpis.${kpiId}`, reason: 'has no value for the period' })),
    );
  }
  if (performance.weightsTotal !== '1') {
    throw conflict('kpi_weights_incomplete', 'kpis', `KPI weights sum to ${performance.weightsTotal}; they must sum to exactly 1 before a period can close`);
  }
}
