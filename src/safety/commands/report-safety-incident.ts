import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { defineCommand } from '../../commanding/command-definition';
import { optional } from '../../commanding/request-dto';
import { streamNames } from '../../shared/stream-names';
import { IsEntryId, IsIsoDateText, IsText } from '../../shared/validation';
import { safetyDecider } from '../domain/safety.decider';
import { INCIDENT_SEVERITIES, IncidentSeverity } from '../domain/safety.events';
import { safetyFact, SafetyFactRequest } from './safety-request';

export class ReportSafetyIncidentRequest extends SafetyFactRequest {
  @ApiProperty({ example: 'INC-2026-0007', description: 'Taken from the path over HTTP' })
  @IsEntryId()
  incidentId: string;

  @ApiProperty({ enum: INCIDENT_SEVERITIES, example: 'riddor', description: 'RIDDOR-reportable injuries and fatalities count in the AFR; a fatality gates the period' })
  @IsIn(INCIDENT_SEVERITIES, { message: `must be one of ${INCIDENT_SEVERITIES.join(', ')}` })
  severity: IncidentSeverity;

  @ApiPropertyOptional({ example: '2026-02-14' })
  @IsOptional()
  @IsIsoDateText()
  occurredOn?: string;

  @ApiPropertyOptional({ example: 'Operative struck by reversing dumper, M6 J23 compound' })
  @IsOptional()
  @IsText(2000)
  description?: string;
}

export const reportSafetyIncident = defineCommand({
  name: 'ReportSafetyIncident',
  dto: ReportSafetyIncidentRequest,
  decider: safetyDecider,
  stream: (request) => streamNames.safety(request.allianceId),
  toCommand: (request, context) => ({
    type: 'ReportSafetyIncident' as const,
    ...safetyFact(request, context),
    incidentId: request.incidentId,
    severity: request.severity,
    occurredOn: optional(request.occurredOn),
    description: optional(request.description),
  }),
});
