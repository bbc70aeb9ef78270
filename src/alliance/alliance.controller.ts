import { Allow } from '../access/route-access';
import { Body, Controller, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandController } from '../http/command-controller';
import { CommandRoute } from '../http/openapi';
import { DefineKpiRequest } from './commands/define-kpi';
import { FormAllianceRequest } from './commands/form-alliance';

class FormAllianceBody extends OmitType(FormAllianceRequest, ['allianceId'] as const) {}
class DefineKpiBody extends OmitType(DefineKpiRequest, ['allianceId', 'kpiId'] as const) {}

@ApiTags('Alliance configuration')
@Controller('alliances/:allianceId')
export class AllianceController extends CommandController {
  constructor(commands: CommandBus) {
    super(commands);
  }

  @Allow('FormAlliance')
  @Put()
  @ApiOperation({ summary: 'FormAlliance: partners, allocation shares, share bands, caps and performance pools' })
  @CommandRoute({
    type: FormAllianceBody,
    example: {
      name: 'Smart Motorway Alliance',
      owner: 'National Highways',
      partners: [
        { partnerId: 'P', name: 'Production partner', role: 'production-management', allocationShare: '0.10', feeAtRisk: '3000000.00' },
        { partnerId: 'D1', name: 'Design partner 1', role: 'design', allocationShare: '0.15', feeAtRisk: '4500000.00' },
        { partnerId: 'D2', name: 'Design partner 2', role: 'design', allocationShare: '0.15', feeAtRisk: '4500000.00' },
        { partnerId: 'S1', name: 'Delivery partner 1', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
        { partnerId: 'S2', name: 'Delivery partner 2', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
        { partnerId: 'S3', name: 'Delivery partner 3', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
      ],
      shareBands: [
        { from: '0', to: '0.9', share: '0.25' },
        { from: '0.9', to: '1.1', share: '0.5' },
        { from: '1.1', share: '0.75' },
      ],
      painCap: '30000000.00',
      rewardPoolMax: '6000000.00',
      liabilityMax: '6000000.00',
    },
  })
  form(@Param('allianceId') allianceId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('FormAlliance', { allianceId }, body, request, response);
  }

  @Allow('DefineKpi')
  @Put('kpis/:kpiId')
  @ApiOperation({ summary: 'DefineKpi: anchors, weight and gate of a scorecard KPI' })
  @CommandRoute({
    type: DefineKpiBody,
    example: { name: 'Accident frequency rate', unit: 'per 100,000 hours', source: 'afr', poor: '0.25', mcos: '0.15', outstanding: '0.05', weight: '0.30', gate: true },
  })
  defineKpi(
    @Param('allianceId') allianceId: string,
    @Param('kpiId') kpiId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    return this.run('DefineKpi', { allianceId, kpiId }, body, request, response);
  }
}
