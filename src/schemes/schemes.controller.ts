import { Allow } from '../access/route-access';
import { Body, Controller, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandController } from '../http/command-controller';
import { CommandRoute } from '../http/openapi';
import { CompleteSchemeRequest } from './commands/complete-scheme';
import { DisallowCostRequest } from './commands/disallow-cost';
import { ImplementCompensationEventRequest } from './commands/implement-compensation-event';
import { RecordDefinedCostRequest } from './commands/record-defined-cost';
import { RecordSiteDatesRequest } from './commands/record-site-dates';
import { RegisterSchemeRequest } from './commands/register-scheme';
import { ReverseCompensationEventRequest } from './commands/reverse-compensation-event';
import { ReverseDefinedCostRequest } from './commands/reverse-defined-cost';
import { SetTargetBaselineRequest } from './commands/set-target-baseline';

const inPath = ['allianceId', 'schemeId'] as const;
class RegisterSchemeBody extends OmitType(RegisterSchemeRequest, inPath) {}
class SetTargetBaselineBody extends OmitType(SetTargetBaselineRequest, inPath) {}
class ImplementCompensationEventBody extends OmitType(ImplementCompensationEventRequest, [...inPath, 'ceId'] as const) {}
class ReverseCompensationEventBody extends OmitType(ReverseCompensationEventRequest, [...inPath, 'ceId'] as const) {}
class RecordDefinedCostBody extends OmitType(RecordDefinedCostRequest, [...inPath, 'costId'] as const) {}
class DisallowCostBody extends OmitType(DisallowCostRequest, [...inPath, 'costId'] as const) {}
class ReverseDefinedCostBody extends OmitType(ReverseDefinedCostRequest, [...inPath, 'costId'] as const) {}
class CompleteSchemeBody extends OmitType(CompleteSchemeRequest, inPath) {}
class RecordSiteDatesBody extends OmitType(RecordSiteDatesRequest, inPath) {}

@ApiTags('Schemes and cost')
@Controller('alliances/:allianceId/schemes/:schemeId')
export class SchemesController extends CommandController {
  constructor(commands: CommandBus) {
    super(commands);
  }

  @Allow('RegisterScheme')
  @Put()
  @ApiOperation({ summary: 'RegisterScheme' })
  @CommandRoute({ type: RegisterSchemeBody, example: { name: 'M6 J21a–26 smart motorway' } })
  register(@Param() path: SchemePath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('RegisterScheme', pick(path, inPath), body, request, response);
  }

  @Allow('SetTargetBaseline')
  @Put('baseline')
  @ApiOperation({ summary: 'SetTargetBaseline: once per scheme; change the target with compensation events' })
  @CommandRoute({ type: SetTargetBaselineBody, example: { periodId: '2026-Q1', amount: '300000000.00' } })
  setBaseline(@Param() path: SchemePath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('SetTargetBaseline', pick(path, inPath), body, request, response);
  }

  @Allow('ImplementCompensationEvent')
  @Put('compensation-events/:ceId')
  @ApiOperation({ summary: 'ImplementCompensationEvent: a signed change to the target' })
  @CommandRoute({ type: ImplementCompensationEventBody, example: { periodId: '2026-Q1', amount: '12000000.00', reason: 'Additional drainage works' } })
  implement(@Param() path: SchemePath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('ImplementCompensationEvent', pick(path, [...inPath, 'ceId']), body, request, response);
  }

  @Allow('ReverseCompensationEvent')
  @Post('compensation-events/:ceId/reversal')
  @ApiOperation({ summary: 'ReverseCompensationEvent: the correction is a new event; nothing is edited' })
  @CommandRoute({ type: ReverseCompensationEventBody, example: { periodId: '2026-Q2', reason: 'Instruction withdrawn' } })
  reverseCompensation(@Param() path: SchemePath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('ReverseCompensationEvent', pick(path, [...inPath, 'ceId']), body, request, response);
  }

  @Allow('RecordDefinedCost')
  @Put('costs/:costId')
  @ApiOperation({ summary: 'RecordDefinedCost: a cost line, unique by costId' })
  @CommandRoute({ type: RecordDefinedCostBody, example: { periodId: '2026-Q1', amount: '1250000.00', description: 'Gantry steelwork, January valuation' } })
  recordCost(@Param() path: SchemePath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('RecordDefinedCost', pick(path, [...inPath, 'costId']), body, request, response);
  }

  @Allow('DisallowCost')
  @Post('costs/:costId/disallowances')
  @ApiOperation({ summary: 'DisallowCost: never more than is left of the cost line' })
  @CommandRoute({ type: DisallowCostBody, example: { periodId: '2026-Q1', amount: '250000.00', reason: 'Rework of defective drainage' } })
  disallow(@Param() path: SchemePath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('DisallowCost', pick(path, [...inPath, 'costId']), body, request, response);
  }

  @Allow('ReverseDefinedCost')
  @Post('costs/:costId/reversal')
  @ApiOperation({ summary: 'ReverseDefinedCost: the line and its disallowances stop counting' })
  @CommandRoute({ type: ReverseDefinedCostBody, example: { periodId: '2026-Q2', reason: 'Invoice entered twice' } })
  reverseCost(@Param() path: SchemePath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('ReverseDefinedCost', pick(path, [...inPath, 'costId']), body, request, response);
  }

  @Allow('CompleteScheme')
  @Post('completion')
  @ApiOperation({ summary: 'CompleteScheme: from this period on the scheme counts in the alliance’s pool' })
  @CommandRoute({ type: CompleteSchemeBody, example: { periodId: '2026-Q4' } })
  complete(@Param() path: SchemePath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('CompleteScheme', pick(path, inPath), body, request, response);
  }

  @Allow('RecordSiteDates')
  @Put('site-dates')
  @ApiOperation({ summary: 'RecordSiteDates: when work started on site and the road reopened, planned and actual (given fields replace, null clears)' })
  @CommandRoute({ type: RecordSiteDatesBody, example: { periodId: '2026-Q1', plannedStart: '2026-01-05', plannedReopen: '2026-02-20', actualStart: '2026-01-07' } })
  recordSiteDates(@Param() path: SchemePath, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('RecordSiteDates', pick(path, inPath), body, request, response);
  }
}

type SchemePath = Record<'allianceId' | 'schemeId' | 'ceId' | 'costId', string>;

function pick(path: SchemePath, keys: readonly (keyof SchemePath)[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, path[key]]));
}
