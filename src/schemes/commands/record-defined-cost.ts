import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { defineCommand } from '../../commanding/command-definition';
import { optional } from '../../commanding/request-dto';
import { parsePence } from '../../shared/money';
import { IsEntryId, IsMoney, IsText } from '../../shared/validation';
import { schemeDecider } from '../domain/scheme.decider';
import { schemeFact, SchemeFactRequest, schemeStream } from './scheme-request';

export class RecordDefinedCostRequest extends SchemeFactRequest {
  @ApiProperty({ example: 'INV-2026-000123', description: 'Unique within the scheme; taken from the path over HTTP' })
  @IsEntryId()
  costId: string;

  @ApiProperty({ example: '1250000.00' })
  @IsMoney('positive')
  amount: string;

  @ApiPropertyOptional({ example: 'Gantry steelwork, January valuation' })
  @IsOptional()
  @IsText(1000)
  description?: string;
}

export const recordDefinedCost = defineCommand({
  name: 'RecordDefinedCost',
  dto: RecordDefinedCostRequest,
  decider: schemeDecider,
  stream: schemeStream,
  toCommand: (request, context) => ({
    type: 'RecordDefinedCost' as const,
    ...schemeFact(request, context),
    costId: request.costId,
    amount: parsePence(request.amount),
    description: optional(request.description),
  }),
});
