import { defineCommand } from '../../commanding/command-definition';
import { statementsDecider } from '../domain/statements.decider';
import { signOffFact, StatementRequest, statementsStream } from './statement-request';

export class AcknowledgeStatementRequest extends StatementRequest {}

/** A partner accepts its certified statement for a period. */
export const acknowledgeStatement = defineCommand({
  name: 'AcknowledgeStatement',
  dto: AcknowledgeStatementRequest,
  decider: statementsDecider,
  stream: statementsStream,
  toCommand: (request, context, _prepared, actor, recordedAt) => ({ type: 'AcknowledgeStatement' as const, ...signOffFact(request, context, actor, recordedAt) }),
});
