import { Allow } from '../access/route-access';
import { Body, Controller, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandController } from '../http/command-controller';
import { CommandRoute } from '../http/openapi';
import { RecordKpiMeasurementRequest } from './commands/record-kpi-measurement';

class RecordKpiMeasurementBody extends OmitType(RecordKpiMeasurementRequest, ['allianceId', 'kpiId', 'periodId'] as const) {}

@ApiTags('Performance')
@Controller('alliances/:allianceId/kpis/:kpiId/measurements/:periodId')
export class MeasurementsController extends CommandController {
  constructor(commands: CommandBus) {
    super(commands);
  }

  @Allow('RecordKpiMeasurement')
  @Put()
  @ApiOperation({ summary: 'RecordKpiMeasurement: the KPI’s value for the period; a later one replaces it' })
  @CommandRoute({ type: RecordKpiMeasurementBody, example: { value: '85' } })
  record(@Param() path: Record<'allianceId' | 'kpiId' | 'periodId', string>, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('RecordKpiMeasurement', { allianceId: path.allianceId, kpiId: path.kpiId, periodId: path.periodId }, body, request, response);
  }
}
