import { Allow } from '../access/route-access';
import { Body, Controller, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandController } from '../http/command-controller';
import { CommandRoute } from '../http/openapi';
import { RecordHoursWorkedRequest } from './commands/record-hours-worked';
import { ReportSafetyIncidentRequest } from './commands/report-safety-incident';

class ReportSafetyIncidentBody extends OmitType(ReportSafetyIncidentRequest, ['allianceId', 'incidentId'] as const) {}
class RecordHoursWorkedBody extends OmitType(RecordHoursWorkedRequest, ['allianceId'] as const) {}

@ApiTags('Safety')
@Controller('alliances/:allianceId/safety')
export class SafetyController extends CommandController {
  constructor(commands: CommandBus) {
    super(commands);
  }

  @Allow('ReportSafetyIncident')
  @Put('incidents/:incidentId')
  @ApiOperation({ summary: 'ReportSafetyIncident: RIDDOR and fatalities count in the AFR; a fatality gates the period' })
  @CommandRoute({ type: ReportSafetyIncidentBody, example: { periodId: '2026-Q1', severity: 'riddor', partnerId: 'S1', occurredOn: '2026-02-14' } })
  reportIncident(
    @Param('allianceId') allianceId: string,
    @Param('incidentId') incidentId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    return this.run('ReportSafetyIncident', { allianceId, incidentId }, body, request, response);
  }

  @Allow('RecordHoursWorked')
  @Post('hours')
  @ApiOperation({ summary: 'RecordHoursWorked: added to the period’s hours; send an Idempotency-Key so a retry is not counted twice' })
  @CommandRoute({ type: RecordHoursWorkedBody, example: { periodId: '2026-Q1', hours: '2500000', partnerId: 'S1' } })
  recordHours(@Param('allianceId') allianceId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('RecordHoursWorked', { allianceId }, body, request, response);
  }
}
