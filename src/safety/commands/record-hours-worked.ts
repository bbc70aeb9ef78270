import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { defineCommand } from '../../commanding/command-definition';
import { optional } from '../../commanding/request-dto';
import { QUANTITY_BOUNDS } from '../../shared/decimal-text';
import { streamNames } from '../../shared/stream-names';
import { IsDecimalText, IsText } from '../../shared/validation';
import { safetyDecider } from '../domain/safety.decider';
import { safetyFact, SafetyFactRequest } from './safety-request';

export class RecordHoursWorkedRequest extends SafetyFactRequest {
  @ApiProperty({ example: '2500000', description: 'Added to the period’s hours; negative (with a reason) to correct an earlier entry' })
  @IsDecimalText({ sign: 'non-zero', maxPlaces: 2, maxMagnitude: QUANTITY_BOUNDS.hours })
  hours: string;

  @ApiPropertyOptional({ example: 'Timesheet return for February' })
  @IsOptional()
  @IsText(1000)
  reason?: string;
}

export const recordHoursWorked = defineCommand({
  name: 'RecordHoursWorked',
  dto: RecordHoursWorkedRequest,
  decider: safetyDecider,
  stream: (request) => streamNames.safety(request.allianceId),
  toCommand: (request, context) => ({
    type: 'RecordHoursWorked' as const,
    ...safetyFact(request, context),
    hours: request.hours,
    reason: optional(request.reason),
  }),
});
