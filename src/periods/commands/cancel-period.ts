import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { streamNames } from '../../shared/stream-names';
import { IsText } from '../../shared/validation';
import { periodsDecider } from '../domain/periods.decider';
import { PeriodRequest } from './period-request';

export class CancelPeriodRequest extends PeriodRequest {
  @ApiProperty({ example: 'Opened with the wrong dates' })
  @IsText(1000)
  reason: string;
}

/**
 * Withdraws the latest period, opened by mistake, while no fact names it. The facts are counted
 * in the event store when the command runs, not in the read models, which may lag.
 */
export const cancelPeriod = defineCommand({
  name: 'CancelPeriod',
  dto: CancelPeriodRequest,
  decider: periodsDecider,
  changesContext: true,
  stream: (request) => streamNames.periods(request.allianceId),
  prepare: (request, services) => services.countFacts(request.allianceId, request.periodId),
  toCommand: (request, _context, factsRecorded: number) => ({
    type: 'CancelPeriod' as const,
    allianceId: request.allianceId,
    periodId: request.periodId,
    reason: request.reason,
    factsRecorded,
  }),
});
