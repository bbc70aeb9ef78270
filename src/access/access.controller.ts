import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags, OmitType } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandController } from '../http/command-controller';
import { CommandRoute } from '../http/openapi';
import { parseAsAt } from '../http/query-params';
import { RoleRequest } from './commands/role-request';
import { AccessList, GetAccessList } from './access-list.query';
import { Allow } from './route-access';

class RoleBody extends OmitType(RoleRequest, ['allianceId'] as const) {}

@ApiTags('Access')
@Controller('alliances/:allianceId/access')
export class AccessController extends CommandController {
  constructor(
    commands: CommandBus,
    private readonly queries: QueryBus,
  ) {
    super(commands);
  }

  @Allow('read-access')
  @Get()
  @ApiOperation({ summary: 'Who holds which role in the alliance (as recorded up to asAt), and the ledger’s administrators' })
  @ApiQuery({ name: 'asAt', required: false, description: 'ISO timestamp: the roles as they stood then' })
  list(@Param('allianceId') allianceId: string, @Query('asAt') asAt?: string): Promise<AccessList> {
    return this.queries.execute(new GetAccessList(allianceId, parseAsAt(asAt)));
  }

  @Allow('GrantRole')
  @Post('grants')
  @ApiOperation({ summary: 'GrantRole: administrators give a subject a role (partner roles name their partner)' })
  @CommandRoute({ type: RoleBody, example: { subject: 'jo.bloggs@delivery-partner-1.example', role: 'partner', partnerId: 'DEL1' } })
  grant(@Param('allianceId') allianceId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('GrantRole', { allianceId }, body, request, response);
  }

  @Allow('RevokeRole')
  @Post('revocations')
  @ApiOperation({ summary: 'RevokeRole: administrators take a role away; the grant stays in the history' })
  @CommandRoute({ type: RoleBody, example: { subject: 'jo.bloggs@delivery-partner-1.example', role: 'partner', partnerId: 'DEL1' } })
  revoke(@Param('allianceId') allianceId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('RevokeRole', { allianceId }, body, request, response);
  }
}
