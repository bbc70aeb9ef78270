import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { defineCommand } from '../../commanding/command-definition';
import { streamNames } from '../../shared/stream-names';
import { IsIsoDateText } from '../../shared/validation';
import { periodsDecider } from '../domain/periods.decider';
import { PeriodRequest } from './period-request';

export class OpenPeriodRequest extends PeriodRequest {
  @ApiProperty({ example: '2026-01-01', description: 'The day after the previous period ends, unless allowGap' })
  @IsIsoDateText()
  startDate: string;

  @ApiProperty({ example: '2026-03-31', description: 'At most a year after startDate' })
  @IsIsoDateText()
  endDate: string;

  @ApiPropertyOptional({ example: false, description: 'Open the period although days lie between it and the previous one' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  allowGap?: boolean;
}

export const openPeriod = defineCommand({
  name: 'OpenPeriod',
  dto: OpenPeriodRequest,
  decider: periodsDecider,
  changesContext: true,
  stream: (request) => streamNames.periods(request.allianceId),
  prepare: async (_request, services) => services.today(),
  toCommand: (request, context, today: string) => ({
    type: 'OpenPeriod' as const,
    allianceId: request.allianceId,
    periodId: request.periodId,
    startDate: request.startDate,
    endDate: request.endDate,
    allianceFormed: context.alliance.status === 'formed',
    today,
    allowGap: request.allowGap === true,
  }),
});
