import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { IsEntryId, IsText } from '../../shared/validation';
import { schemeDecider } from '../domain/scheme.decider';
import { schemeFact, SchemeFactRequest, schemeStream } from './scheme-request';

export class ReverseCompensationEventRequest extends SchemeFactRequest {
  @ApiProperty({ example: 'CE-0042', description: 'Taken from the path over HTTP' })
  @IsEntryId()
  ceId: string;

  @ApiProperty({ example: 'Instruction withdrawn' })
  @IsText(1000)
  reason: string;
}

export const reverseCompensationEvent = defineCommand({
  name: 'ReverseCompensationEvent',
  dto: ReverseCompensationEventRequest,
  decider: schemeDecider,
  stream: schemeStream,
  toCommand: (request, context) => ({
    type: 'ReverseCompensationEvent' as const,
    ...schemeFact(request, context),
    ceId: request.ceId,
    reason: request.reason,
  }),
});
