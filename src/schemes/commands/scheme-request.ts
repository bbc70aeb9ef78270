import { ApiProperty } from '@nestjs/swagger';
import { AllianceContext } from '../../commanding/command-definition';
import { AllianceScopedRequest, PeriodFactRequest } from '../../commanding/request-dto';
import { lookupPeriod } from '../../periods/domain/periods.decider';
import { streamNames } from '../../shared/stream-names';
import { IsLedgerId } from '../../shared/validation';

export class SchemeRequest extends AllianceScopedRequest {
  @ApiProperty({ example: 'M6-J21A-J26', description: 'Taken from the path over HTTP' })
  @IsLedgerId()
  schemeId: string;
}

export class SchemeFactRequest extends PeriodFactRequest {
  @ApiProperty({ example: 'M6-J21A-J26', description: 'Taken from the path over HTTP' })
  @IsLedgerId()
  schemeId: string;
}

export const schemeStream = <Request extends SchemeRequest>(request: Request) => streamNames.scheme(request.allianceId, request.schemeId);

export function schemeFact(request: SchemeFactRequest, context: AllianceContext) {
  return {
    allianceId: request.allianceId,
    schemeId: request.schemeId,
    period: lookupPeriod(context.periods, request.periodId),
    allianceTotals: context.totals,
  };
}
