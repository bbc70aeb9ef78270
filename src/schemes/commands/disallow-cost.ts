import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { parsePence } from '../../shared/money';
import { IsEntryId, IsMoney, IsText } from '../../shared/validation';
import { schemeDecider } from '../domain/scheme.decider';
import { schemeFact, SchemeFactRequest, schemeStream } from './scheme-request';

export class DisallowCostRequest extends SchemeFactRequest {
  @ApiProperty({ example: 'INV-2026-000123', description: 'The cost line; taken from the path over HTTP' })
  @IsEntryId()
  costId: string;

  @ApiProperty({ example: '250000.00', description: 'At most what is left of the cost line after earlier disallowances' })
  @IsMoney('positive')
  amount: string;

  @ApiProperty({ example: 'Rework of defective drainage' })
  @IsText(1000)
  reason: string;
}

export const disallowCost = defineCommand({
  name: 'DisallowCost',
  dto: DisallowCostRequest,
  decider: schemeDecider,
  stream: schemeStream,
  toCommand: (request, context) => ({
    type: 'DisallowCost' as const,
    ...schemeFact(request, context),
    costId: request.costId,
    amount: parsePence(request.amount),
    reason: request.reason,
  }),
});
