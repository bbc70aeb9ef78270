import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { streamNames } from '../../shared/stream-names';
import { IsText } from '../../shared/validation';
import { periodsDecider } from '../domain/periods.decider';
import { PeriodRequest } from './period-request';

export class RejectPeriodCloseRequest extends PeriodRequest {
  @ApiProperty({ example: 'Q1 hours from DEL2 are still missing' })
  @IsText(1000)
  reason: string;
}

/** Drops the pending proposal; the period stays open and anyone may propose again. */
export const rejectPeriodClose = defineCommand({
  name: 'RejectPeriodClose',
  dto: RejectPeriodCloseRequest,
  decider: periodsDecider,
  stream: (request) => streamNames.periods(request.allianceId),
  toCommand: (request) => ({
    type: 'RejectPeriodClose' as const,
    allianceId: request.allianceId,
    periodId: request.periodId,
    reason: request.reason,
  }),
});
