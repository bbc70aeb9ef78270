import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { defineCommand } from '../../commanding/command-definition';
import { optional } from '../../commanding/request-dto';
import { parsePence } from '../../shared/money';
import { IsEntryId, IsMoney, IsText } from '../../shared/validation';
import { schemeDecider } from '../domain/scheme.decider';
import { schemeFact, SchemeFactRequest, schemeStream } from './scheme-request';

export class ImplementCompensationEventRequest extends SchemeFactRequest {
  @ApiProperty({ example: 'CE-0042', description: 'Unique within the scheme; taken from the path over HTTP' })
  @IsEntryId()
  ceId: string;

  @ApiProperty({ example: '12000000.00', description: 'Signed: a negative compensation event lowers the target' })
  @IsMoney('non-zero')
  amount: string;

  @ApiPropertyOptional({ example: 'Additional drainage works instructed' })
  @IsOptional()
  @IsText(1000)
  reason?: string;
}

export const implementCompensationEvent = defineCommand({
  name: 'ImplementCompensationEvent',
  dto: ImplementCompensationEventRequest,
  decider: schemeDecider,
  stream: schemeStream,
  toCommand: (request, context) => ({
    type: 'ImplementCompensationEvent' as const,
    ...schemeFact(request, context),
    ceId: request.ceId,
    amount: parsePence(request.amount),
    reason: optional(request.reason),
  }),
});
