import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { AllianceScopedRequest } from '../../commanding/request-dto';
import { PeriodCertificate } from '../../settlement/domain/summary.types';
import { streamNames } from '../../shared/stream-names';
import { IsLedgerId } from '../../shared/validation';
import { periodsDecider } from '../domain/periods.decider';

export class ClosePeriodRequest extends AllianceScopedRequest {
  @ApiProperty({ example: '2026-Q1' })
  @IsLedgerId()
  periodId: string;
}

/** Certifies the period: the figures, recomputed from the events, are recorded with a digest of those events. */
export const closePeriod = defineCommand({
  name: 'ClosePeriod',
  dto: ClosePeriodRequest,
  decider: periodsDecider,
  changesContext: true,
  stream: (request) => streamNames.periods(request.allianceId),
  prepare: (request, services) => services.certifyPeriod(request.allianceId, request.periodId),
  toCommand: (request, _context, certificate: PeriodCertificate) => ({
    type: 'ClosePeriod' as const,
    allianceId: request.allianceId,
    periodId: request.periodId,
    certificate,
  }),
});
