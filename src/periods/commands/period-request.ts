import { ApiProperty } from '@nestjs/swagger';
import { AllianceScopedRequest } from '../../commanding/request-dto';
import { AllianceContext } from '../../commanding/command-definition';
import { IsLedgerId } from '../../shared/validation';

/** A command about one period of the alliance; every one of them writes the periods stream. */
export class PeriodRequest extends AllianceScopedRequest {
  @ApiProperty({ example: '2026-Q1', description: 'Taken from the path over HTTP' })
  @IsLedgerId()
  periodId: string;
}

/** Alliances formed before four-eyes closing read as 1 (see upcastAllianceTerms); unformed ones have no periods to close. */
export function closeApprovalsOf(context: AllianceContext) {
  return context.alliance.status === 'formed' ? context.alliance.terms.closeApprovals : 1;
}
