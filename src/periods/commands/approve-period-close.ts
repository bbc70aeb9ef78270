import { defineCommand } from '../../commanding/command-definition';
import { CertificateFigures, CertificateSealer } from '../../settlement/domain/summary.types';
import { streamNames } from '../../shared/stream-names';
import { periodsDecider } from '../domain/periods.decider';
import { PeriodRequest } from './period-request';

export class ApprovePeriodCloseRequest extends PeriodRequest {}

/**
 * Certifies the proposed figures, by someone other than the proposer. The figures are computed
 * again here so the decider can compare their digest with the proposal's: anything recorded
 * since that changes their inputs makes the proposal stale.
 */
export const approvePeriodClose = defineCommand({
  name: 'ApprovePeriodClose',
  dto: ApprovePeriodCloseRequest,
  decider: periodsDecider,
  changesContext: true,
  stream: (request) => streamNames.periods(request.allianceId),
  prepare: async (request, services) => ({ figures: await services.certifyPeriod(request.allianceId, request.periodId), seal: services.sealCertificate }),
  toCommand: (request, _context, { figures, seal }: { figures: CertificateFigures; seal?: CertificateSealer }, actor) => ({
    type: 'ApprovePeriodClose' as const,
    allianceId: request.allianceId,
    periodId: request.periodId,
    figures,
    actor,
    seal,
  }),
});
