import { defineCommand } from '../../commanding/command-definition';
import { CertificateFigures } from '../../settlement/domain/summary.types';
import { streamNames } from '../../shared/stream-names';
import { periodsDecider } from '../domain/periods.decider';
import { PeriodRequest } from './period-request';

export class ProposePeriodCloseRequest extends PeriodRequest {}

/** Records the figures the proposer would certify and the digest of their inputs, for someone else to approve. */
export const proposePeriodClose = defineCommand({
  name: 'ProposePeriodClose',
  dto: ProposePeriodCloseRequest,
  decider: periodsDecider,
  stream: (request) => streamNames.periods(request.allianceId),
  prepare: (request, services) => services.certifyPeriod(request.allianceId, request.periodId),
  toCommand: (request, _context, figures: CertificateFigures, actor) => ({
    type: 'ProposePeriodClose' as const,
    allianceId: request.allianceId,
    periodId: request.periodId,
    figures,
    actor,
  }),
});
