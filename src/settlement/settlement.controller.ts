import { Principal } from '../access/identity/principal';
import { Allow, Caller, SignedIn } from '../access/route-access';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConditionalGet } from '../http/conditional-get';
import { figureOptions } from '../http/query-params';
import { AllianceRow } from '../read-models/entities';
import { PeriodSummary } from './domain/summary.types';
import { AllianceOverview, GetAllianceOverview, ListAlliances } from './queries/alliance-overview.queries';
import { Explained, GetPartnerStatement, GetPeriodSummary, SignedStatement } from './queries/settlement.queries';

const AS_AT = ApiQuery({ name: 'asAt', required: false, description: 'ISO timestamp: the figures as they stood then, from the events recorded up to it', example: '2026-04-01T00:00:00Z' });
const EXPLAIN = ApiQuery({ name: 'explain', required: false, description: 'true: add `explanation`, listing the events each figure was computed from' });

@ApiTags('Statements')
@Controller('alliances')
export class SettlementController {
  constructor(
    private readonly queries: QueryBus,
    private readonly conditional: ConditionalGet,
  ) {}

  @SignedIn()
  @Get()
  @ApiOperation({ summary: 'The alliances in the ledger' })
  list(@Caller() caller: Principal): Promise<AllianceRow[]> {
    return this.queries.execute(new ListAlliances(caller));
  }

  @Allow('read')
  @Get(':allianceId')
  @ApiOperation({ summary: 'An alliance: its terms, each period’s headline figures, each scheme’s position' })
  overview(@Param('allianceId') allianceId: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<AllianceOverview | undefined> {
    return this.conditional.answer(request, reply, allianceId, () => this.queries.execute(new GetAllianceOverview(allianceId)));
  }

  @Allow('read')
  @Get(':allianceId/periods/:periodId/summary')
  @ApiOperation({
    summary: 'Period summary: T, A, R, cost shares, caps, the scorecard, the performance amount and each partner’s lines',
    description: 'Provisional while the period is open; certified (and unchanging) once closed. Money is decimal strings in pounds.',
  })
  @AS_AT
  @EXPLAIN
  summary(
    @Param('allianceId') allianceId: string,
    @Param('periodId') periodId: string,
    @Query() query: { asAt?: string; explain?: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Explained<PeriodSummary> | undefined> {
    return this.conditional.answer(request, reply, allianceId, () => this.queries.execute(new GetPeriodSummary(allianceId, periodId, figureOptions(query))));
  }

  @Allow('read-statement', { partnerParam: 'partnerId' })
  @Get(':allianceId/periods/:periodId/statements/:partnerId')
  @ApiOperation({ summary: 'A partner’s reward statement: cost share this period (with the cumulative figures behind it), performance, total, and the partner’s sign-off' })
  @AS_AT
  @EXPLAIN
  statement(
    @Param('allianceId') allianceId: string,
    @Param('periodId') periodId: string,
    @Param('partnerId') partnerId: string,
    @Query() query: { asAt?: string; explain?: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Explained<SignedStatement> | undefined> {
    return this.conditional.answer(request, reply, allianceId, () => this.queries.execute(new GetPartnerStatement(allianceId, periodId, partnerId, figureOptions(query))));
  }
}
