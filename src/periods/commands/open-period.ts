import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { AllianceScopedRequest } from '../../commanding/request-dto';
import { streamNames } from '../../shared/stream-names';
import { IsIsoDateText, IsLedgerId } from '../../shared/validation';
import { periodsDecider } from '../domain/periods.decider';

export class OpenPeriodRequest extends AllianceScopedRequest {
  @ApiProperty({ example: '2026-Q1' })
  @IsLedgerId()
  periodId: string;

  @ApiProperty({ example: '2026-01-01' })
  @IsIsoDateText()
  startDate: string;

  @ApiProperty({ example: '2026-03-31' })
  @IsIsoDateText()
  endDate: string;
}

export const openPeriod = defineCommand({
  name: 'OpenPeriod',
  dto: OpenPeriodRequest,
  decider: periodsDecider,
  changesContext: true,
  stream: (request) => streamNames.periods(request.allianceId),
  toCommand: (request, context) => ({
    type: 'OpenPeriod' as const,
    allianceId: request.allianceId,
    periodId: request.periodId,
    startDate: request.startDate,
    endDate: request.endDate,
    allianceFormed: context.alliance.status === 'formed',
  }),
});
