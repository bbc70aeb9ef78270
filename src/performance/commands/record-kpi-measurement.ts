import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { PeriodFactRequest } from '../../commanding/request-dto';
import { lookupPeriod } from '../../periods/domain/periods.decider';
import { QUANTITY_BOUNDS } from '../../shared/decimal-text';
import { streamNames } from '../../shared/stream-names';
import { IsDecimalText, IsLedgerId } from '../../shared/validation';
import { measurementDecider } from '../domain/measurement.decider';

export class RecordKpiMeasurementRequest extends PeriodFactRequest {
  @ApiProperty({ example: 'milestones', description: 'Taken from the path over HTTP' })
  @IsLedgerId()
  kpiId: string;

  @ApiProperty({ example: '85', description: 'Replaces an earlier measurement of the KPI in the same period; within the KPI’s min and max when it has them' })
  @IsDecimalText({ maxMagnitude: QUANTITY_BOUNDS.kpiValue })
  value: string;
}

export const recordKpiMeasurement = defineCommand({
  name: 'RecordKpiMeasurement',
  dto: RecordKpiMeasurementRequest,
  decider: measurementDecider,
  stream: (request) => streamNames.measurements(request.allianceId),
  toCommand: (request, context) => ({
    type: 'RecordKpiMeasurement' as const,
    allianceId: request.allianceId,
    kpiId: request.kpiId,
    value: request.value,
    period: lookupPeriod(context.periods, request.periodId),
    kpi: context.alliance.status === 'formed' ? context.alliance.kpis.get(request.kpiId) : undefined,
  }),
});
