import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow } from '../../access/route-access';
import { LedgerCommand } from '../../commanding/ledger-command';
import { callerOf, commandMetadata } from '../../http/command-request';

/** What the pages' forms post: `_csrf` (checked by the guard), `commandId` (so a double submit records once), and a reason. */
interface FormBody {
  commandId?: unknown;
  reason?: unknown;
}

/**
 * The state-changing forms of the pages: the same commands as the API, run with the signed-in
 * person's rights, then back to the page (303) to see the result.
 */
@ApiExcludeController()
@Controller('ui/alliances/:allianceId/periods/:periodId')
export class PageActionsController {
  constructor(private readonly commands: CommandBus) {}

  @Allow('ProposePeriodClose')
  @Post('close-proposal')
  propose(@Param() path: Record<string, string>, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() response: FastifyReply) {
    return this.submit('ProposePeriodClose', path, body, {}, request, response);
  }

  @Allow('ApprovePeriodClose')
  @Post('close-proposal/approval')
  approve(@Param() path: Record<string, string>, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() response: FastifyReply) {
    return this.submit('ApprovePeriodClose', path, body, {}, request, response);
  }

  @Allow('RejectPeriodClose')
  @Post('close-proposal/rejection')
  reject(@Param() path: Record<string, string>, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() response: FastifyReply) {
    return this.submit('RejectPeriodClose', path, body, { reason: body.reason }, request, response);
  }

  @Allow('AcknowledgeStatement', { partnerParam: 'partnerId' })
  @Post('partners/:partnerId/acknowledgement')
  acknowledge(@Param() path: Record<string, string>, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() response: FastifyReply) {
    return this.submit('AcknowledgeStatement', path, body, {}, request, response, `/partners/${path.partnerId}`);
  }

  @Allow('DisputeStatement', { partnerParam: 'partnerId' })
  @Post('partners/:partnerId/dispute')
  dispute(@Param() path: Record<string, string>, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() response: FastifyReply) {
    return this.submit('DisputeStatement', path, body, { reason: body.reason }, request, response, `/partners/${path.partnerId}`);
  }

  private async submit(name: string, path: Record<string, string>, body: FormBody, fields: Record<string, unknown>, request: FastifyRequest, response: FastifyReply, back = ''): Promise<void> {
    const metadata = commandMetadata(request);
    if (typeof body?.commandId === 'string' && /^[0-9a-f-]{36}$/.test(body.commandId)) metadata.commandId = body.commandId;
    await this.commands.execute(new LedgerCommand(name, { ...path, ...fields }, metadata, callerOf(request)));
    response.redirect(`/ui/alliances/${encodeURIComponent(path.allianceId)}/periods/${encodeURIComponent(path.periodId)}${back}`, 303);
  }
}
