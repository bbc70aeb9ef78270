import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { partnerIdsOf } from '../../alliance/domain/alliance.decider';
import { AllianceContext } from '../../commanding/command-definition';
import { optional, PeriodFactRequest } from '../../commanding/request-dto';
import { findPeriod, lookupPeriod } from '../../periods/domain/periods.decider';
import { IsLedgerId } from '../../shared/validation';

export class SafetyFactRequest extends PeriodFactRequest {
  @ApiPropertyOptional({ example: 'S1', description: 'The partner whose workforce it concerns' })
  @IsOptional()
  @IsLedgerId()
  partnerId?: string;
}

export function safetyFact(request: SafetyFactRequest, context: AllianceContext) {
  const partnerId = optional(request.partnerId);
  const opened = findPeriod(context.periods, request.periodId);
  return {
    allianceId: request.allianceId,
    period: lookupPeriod(context.periods, request.periodId),
    periodDates: opened ? { startDate: opened.startDate, endDate: opened.endDate } : null,
    partnerId,
    partnerKnown: partnerId === null || partnerIdsOf(context.alliance).has(partnerId),
  };
}
