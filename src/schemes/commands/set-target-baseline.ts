import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { parsePence } from '../../shared/money';
import { IsMoney } from '../../shared/validation';
import { schemeDecider } from '../domain/scheme.decider';
import { schemeFact, SchemeFactRequest, schemeStream } from './scheme-request';

export class SetTargetBaselineRequest extends SchemeFactRequest {
  @ApiProperty({ example: '300000000.00' })
  @IsMoney('positive')
  amount: string;
}

export const setTargetBaseline = defineCommand({
  name: 'SetTargetBaseline',
  dto: SetTargetBaselineRequest,
  decider: schemeDecider,
  stream: schemeStream,
  toCommand: (request, context) => ({ type: 'SetTargetBaseline' as const, ...schemeFact(request, context), amount: parsePence(request.amount) }),
});
