import { Allow } from '../access/route-access';
import { Body, Controller, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { CommandController } from '../http/command-controller';
import { CommandRoute } from '../http/openapi';
import { OpenPeriodRequest } from './commands/open-period';

class OpenPeriodBody extends OmitType(OpenPeriodRequest, ['allianceId', 'periodId'] as const) {}
class EmptyBody {}

@ApiTags('Periods')
@Controller('alliances/:allianceId/periods/:periodId')
export class PeriodsController extends CommandController {
  constructor(commands: CommandBus) {
    super(commands);
  }

  @Allow('OpenPeriod')
  @Put()
  @ApiOperation({ summary: 'OpenPeriod: periods open in order and take facts until closed' })
  @CommandRoute({ type: OpenPeriodBody, example: { startDate: '2026-01-01', endDate: '2026-03-31' } })
  open(
    @Param('allianceId') allianceId: string,
    @Param('periodId') periodId: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run('OpenPeriod', { allianceId, periodId }, body, request, response);
  }

  @Allow('ClosePeriod')
  @Post('close')
  @ApiOperation({
    summary: 'ClosePeriod: certifies the period’s figures with a digest of their inputs',
    description: 'Refused (409) while a KPI has no value for the period, or the KPI weights do not sum to 1. Periods close in order.',
  })
  @CommandRoute({ type: EmptyBody })
  close(
    @Param('allianceId') allianceId: string,
    @Param('periodId') periodId: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run('ClosePeriod', { allianceId, periodId }, body, request, response);
  }
}
