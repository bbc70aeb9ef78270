import { ApiProperty } from '@nestjs/swagger';
import { partnerIdsOf } from '../../alliance/domain/alliance.decider';
import { AllianceContext } from '../../commanding/command-definition';
import { PeriodFactRequest } from '../../commanding/request-dto';
import { lookupPeriod } from '../../periods/domain/periods.decider';
import { streamNames } from '../../shared/stream-names';
import { IsLedgerId } from '../../shared/validation';

export class StatementRequest extends PeriodFactRequest {
  @ApiProperty({ example: 'S1', description: 'The partner whose statement it is; taken from the path over HTTP' })
  @IsLedgerId()
  partnerId: string;
}

export const statementsStream = <Request extends StatementRequest>(request: Request) => streamNames.statements(request.allianceId);

/** What both sign-off commands carry: the period as it stands, whether the partner exists, who and when. */
export function signOffFact(request: StatementRequest, context: AllianceContext, actor: string, at: string) {
  return {
    allianceId: request.allianceId,
    partnerId: request.partnerId,
    partnerKnown: partnerIdsOf(context.alliance).has(request.partnerId),
    period: lookupPeriod(context.periods, request.periodId),
    by: actor,
    at,
  };
}
