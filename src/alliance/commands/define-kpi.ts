import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { defineCommand } from '../../commanding/command-definition';
import { AllianceScopedRequest, optional } from '../../commanding/request-dto';
import { QUANTITY_BOUNDS } from '../../shared/decimal-text';
import { streamNames } from '../../shared/stream-names';
import { IsDecimalText, IsLedgerId, IsText } from '../../shared/validation';
import { allianceDecider } from '../domain/alliance.decider';
import { KpiSource } from '../domain/alliance.events';

export class DefineKpiRequest extends AllianceScopedRequest {
  @ApiProperty({ example: 'milestones' })
  @IsLedgerId()
  kpiId: string;

  @ApiProperty({ example: 'Milestones met' })
  @IsText(200)
  name: string;

  @ApiProperty({ example: '%' })
  @IsText(50)
  unit: string;

  @ApiProperty({
    enum: ['measured', 'afr', 'time-on-site'],
    example: 'measured',
    description: '`afr` is derived from incidents and hours worked; `time-on-site` from schemes’ site dates (actual days on site as a % of planned, for roads reopened in the period)',
  })
  @IsIn(['measured', 'afr', 'time-on-site'], { message: 'must be "measured", "afr" or "time-on-site"' })
  source: KpiSource;

  @ApiProperty({ example: '80', description: 'Value scoring −100 (or worse)' })
  @IsDecimalText({ maxMagnitude: QUANTITY_BOUNDS.kpiValue })
  poor: string;

  @ApiProperty({ example: '90', description: 'Minimum condition of satisfaction: scores 0' })
  @IsDecimalText({ maxMagnitude: QUANTITY_BOUNDS.kpiValue })
  mcos: string;

  @ApiProperty({ example: '100', description: 'Value scoring +100 (or better)' })
  @IsDecimalText({ maxMagnitude: QUANTITY_BOUNDS.kpiValue })
  outstanding: string;

  @ApiPropertyOptional({ example: '0', description: 'The lowest value a measurement may take (inclusive); none if absent' })
  @IsOptional()
  @IsDecimalText({ maxMagnitude: QUANTITY_BOUNDS.kpiValue })
  min?: string;

  @ApiPropertyOptional({ example: '100', description: 'The highest value a measurement may take (inclusive); none if absent' })
  @IsOptional()
  @IsDecimalText({ maxMagnitude: QUANTITY_BOUNDS.kpiValue })
  max?: string;

  @ApiProperty({ example: '0.20', description: 'The weights of an alliance’s KPIs sum to exactly 1 before a period can close' })
  @IsDecimalText({ sign: 'positive', max: '1' })
  weight: string;

  @ApiProperty({ example: false, description: 'A score of −100 on a gate KPI cancels a positive performance amount' })
  @IsBoolean({ message: 'must be true or false' })
  gate: boolean;
}

export const defineKpi = defineCommand({
  name: 'DefineKpi',
  dto: DefineKpiRequest,
  decider: allianceDecider,
  changesContext: true,
  stream: (request) => streamNames.alliance(request.allianceId),
  toCommand: ({ allianceId, kpiId, name, unit, source, poor, mcos, outstanding, weight, gate, min, max }) => ({
    type: 'DefineKpi' as const,
    definition: { allianceId, kpiId, name, unit, source, poor, mcos, outstanding, weight, gate, min: optional(min), max: optional(max) },
  }),
});
