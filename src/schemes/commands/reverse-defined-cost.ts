import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { IsEntryId, IsText } from '../../shared/validation';
import { schemeDecider } from '../domain/scheme.decider';
import { schemeFact, SchemeFactRequest, schemeStream } from './scheme-request';

export class ReverseDefinedCostRequest extends SchemeFactRequest {
  @ApiProperty({ example: 'INV-2026-000123', description: 'The cost line; taken from the path over HTTP' })
  @IsEntryId()
  costId: string;

  @ApiProperty({ example: 'Invoice entered twice' })
  @IsText(1000)
  reason: string;
}

export const reverseDefinedCost = defineCommand({
  name: 'ReverseDefinedCost',
  dto: ReverseDefinedCostRequest,
  decider: schemeDecider,
  stream: schemeStream,
  toCommand: (request, context) => ({
    type: 'ReverseDefinedCost' as const,
    ...schemeFact(request, context),
    costId: request.costId,
    reason: request.reason,
  }),
});
