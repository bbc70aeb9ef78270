import { Allow } from '../access/route-access';
import { Body, Controller, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags, OmitType } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandController } from '../http/command-controller';
import { CommandRoute } from '../http/openapi';
import { CancelPeriodRequest } from './commands/cancel-period';
import { OpenPeriodRequest } from './commands/open-period';
import { RejectPeriodCloseRequest } from './commands/reject-period-close';

class OpenPeriodBody extends OmitType(OpenPeriodRequest, ['allianceId', 'periodId'] as const) {}
class ReasonBody extends OmitType(CancelPeriodRequest, ['allianceId', 'periodId'] as const) {}
class RejectionBody extends OmitType(RejectPeriodCloseRequest, ['allianceId', 'periodId'] as const) {}
class EmptyBody {}

@ApiTags('Periods')
@Controller('alliances/:allianceId/periods/:periodId')
export class PeriodsController extends CommandController {
  constructor(commands: CommandBus) {
    super(commands);
  }

  @Allow('OpenPeriod')
  @Put()
  @ApiOperation({
    summary: 'OpenPeriod: periods open in order, each the day after the last ends, and take facts until closed',
    description:
      'Refused (400) when the period is longer than a year or starts more than 10 years before or 1 year after today; (409 period_gap) when it does not start the day after the previous period ends, unless allowGap is true.',
  })
  @CommandRoute({ type: OpenPeriodBody, example: { startDate: '2026-01-01', endDate: '2026-03-31' } })
  open(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('OpenPeriod', { allianceId, periodId }, body, request, response);
  }

  @Allow('CancelPeriod')
  @Post('cancellation')
  @ApiOperation({
    summary: 'CancelPeriod: withdraws the latest period, opened by mistake, while no fact names it',
    description: 'Recorded as PeriodCancelled; the next period then follows the one before. The id is not used again.',
  })
  @CommandRoute({ type: ReasonBody, example: { reason: 'Opened with the wrong dates' } })
  cancel(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('CancelPeriod', { allianceId, periodId }, body, request, response);
  }

  @Allow('ClosePeriod')
  @Post('close')
  @ApiOperation({
    summary: 'ClosePeriod: certifies the period’s figures with a digest of their inputs (alliances closing with one approval)',
    description:
      'Refused (409) while a KPI has no value for the period, or the KPI weights do not sum to 1. Periods close in order. In an alliance formed with closeApprovals 2: 409 approval_required.',
  })
  @CommandRoute({ type: EmptyBody })
  close(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('ClosePeriod', { allianceId, periodId }, body, request, response);
  }

  @Allow('ProposePeriodClose')
  @Post('close-proposal')
  @ApiOperation({
    summary: 'ProposePeriodClose: records the figures you would certify, for someone else to approve',
    description: 'The period still takes facts; one recorded after the proposal makes it stale. Proposing again replaces the proposal.',
  })
  @CommandRoute({ type: EmptyBody })
  propose(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('ProposePeriodClose', { allianceId, periodId }, body, request, response);
  }

  @Allow('ApprovePeriodClose')
  @Post('close-proposal/approval')
  @ApiOperation({
    summary: 'ApprovePeriodClose: certifies exactly the proposed figures',
    description: '403 four_eyes for the proposer; 409 proposal_stale when events recorded since change the inputs (propose again); 409 no_close_proposal.',
  })
  @ApiResponse({ status: 403, description: 'four_eyes: the proposer cannot approve their own proposal' })
  @CommandRoute({ type: EmptyBody })
  approve(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('ApprovePeriodClose', { allianceId, periodId }, body, request, response);
  }

  @Allow('RejectPeriodClose')
  @Post('close-proposal/rejection')
  @ApiOperation({ summary: 'RejectPeriodClose: drops the pending proposal; the period stays open' })
  @CommandRoute({ type: RejectionBody, example: { reason: 'Q1 hours from DEL2 are still missing' } })
  reject(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    return this.run('RejectPeriodClose', { allianceId, periodId }, body, request, response);
  }
}
