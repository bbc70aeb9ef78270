import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { IsText } from '../../shared/validation';
import { statementsDecider } from '../domain/statements.decider';
import { signOffFact, StatementRequest, statementsStream } from './statement-request';

export class DisputeStatementRequest extends StatementRequest {
  @ApiProperty({ example: 'Disallowance INV-2026-000123 is contested' })
  @IsText(2000)
  reason: string;
}

/** A partner disputes its certified statement for a period, saying why. */
export const disputeStatement = defineCommand({
  name: 'DisputeStatement',
  dto: DisputeStatementRequest,
  decider: statementsDecider,
  stream: statementsStream,
  toCommand: (request, context, _prepared, actor, recordedAt) => ({
    type: 'DisputeStatement' as const,
    ...signOffFact(request, context, actor, recordedAt),
    reason: request.reason,
  }),
});
