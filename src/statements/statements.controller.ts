import { Allow } from '../access/route-access';
import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandController } from '../http/command-controller';
import { CommandRoute } from '../http/openapi';
import { AcknowledgeStatementRequest } from './commands/acknowledge-statement';
import { DisputeStatementRequest } from './commands/dispute-statement';

const inPath = ['allianceId', 'periodId', 'partnerId'] as const;
class AcknowledgeStatementBody extends OmitType(AcknowledgeStatementRequest, inPath) {}
class DisputeStatementBody extends OmitType(DisputeStatementRequest, inPath) {}

type StatementPath = Record<(typeof inPath)[number], string>;

@ApiTags('Statements')
@Controller('alliances/:allianceId/periods/:periodId/statements/:partnerId')
export class StatementsController extends CommandController {
  constructor(commands: CommandBus) {
    super(commands);
  }

  @Allow('AcknowledgeStatement', { partnerParam: 'partnerId' })
  @Post('acknowledgement')
  @ApiOperation({ summary: 'AcknowledgeStatement: the partner accepts its certified statement (the latest sign-off stands)' })
  @CommandRoute({ type: AcknowledgeStatementBody, example: {} })
  acknowledge(@Param() path: StatementPath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('AcknowledgeStatement', pathIds(path), body, request, response);
  }

  @Allow('DisputeStatement', { partnerParam: 'partnerId' })
  @Post('dispute')
  @ApiOperation({ summary: 'DisputeStatement: the partner disputes its certified statement, saying why (the latest sign-off stands)' })
  @CommandRoute({ type: DisputeStatementBody, example: { reason: 'Disallowance of INV-2026-000123 is contested' } })
  dispute(@Param() path: StatementPath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('DisputeStatement', pathIds(path), body, request, response);
  }
}

function pathIds(path: StatementPath): Record<string, string> {
  return Object.fromEntries(inPath.map((key) => [key, path[key]]));
}
