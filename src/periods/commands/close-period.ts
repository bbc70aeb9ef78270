import { defineCommand } from '../../commanding/command-definition';
import { CertificateFigures, CertificateSealer } from '../../settlement/domain/summary.types';
import { streamNames } from '../../shared/stream-names';
import { periodsDecider } from '../domain/periods.decider';
import { closeApprovalsOf, PeriodRequest } from './period-request';

export class ClosePeriodRequest extends PeriodRequest {}

/**
 * Certifies the period at once, in an alliance that closes with one person: the figures,
 * recomputed from the events, are recorded with a digest of those events and who closed it.
 */
export const closePeriod = defineCommand({
  name: 'ClosePeriod',
  dto: ClosePeriodRequest,
  decider: periodsDecider,
  changesContext: true,
  stream: (request) => streamNames.periods(request.allianceId),
  prepare: async (request, services) => ({ figures: await services.certifyPeriod(request.allianceId, request.periodId), seal: services.sealCertificate }),
  toCommand: (request, context, { figures, seal }: { figures: CertificateFigures; seal?: CertificateSealer }, actor) => ({
    type: 'ClosePeriod' as const,
    allianceId: request.allianceId,
    periodId: request.periodId,
    figures,
    closeApprovals: closeApprovalsOf(context),
    actor,
    seal,
  }),
});
