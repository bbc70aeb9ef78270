import { Body, Controller, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandResult } from '../commanding/command-executor';
import { LedgerCommand } from '../commanding/ledger-command';
import { Allow } from '../access/route-access';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { callerOf, commandMetadata, sendCommandResult } from '../http/command-request';
import { requireNdjson } from '../http/http-edge';
import { bodyBytes, closeAfterAnswer } from '../http/request-body';
import { DomainError, invalid } from '../shared/domain-error';
import { LEDGER_ID_PATTERN } from '../shared/ids';
import { ImportReport } from './import-session';
import { importLimits, importNdjson } from './ndjson-import';

const STOPPED_STATUS: Record<string, number> = { forbidden: 403, 'not-found': 404, conflict: 409, stale: 412, unavailable: 503, 'too-large': 413, 'unsupported-media-type': 415 };

@ApiTags('Imports')
@Controller('alliances/:allianceId')
export class ImportsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Allow('member')
  @Post('imports')
  @ApiOperation({
    summary: 'Import NDJSON commands, one a line: {"command": NAME, "commandId"?: ID, "data": {…}}',
    description:
      'Lines are applied in order. The first bad line stops the import with its line number and reason; the lines before it stay applied. ' +
      'Fix the line and post the whole file again: what was applied is recognised (by commandId, or by the line’s content and occurrence) and not applied twice. ' +
      'The first line may be FormAlliance; a line naming another alliance is refused.',
  })
  @ApiConsumes('application/x-ndjson')
  @ApiBody({
    schema: { type: 'string' },
    examples: {
      example: {
        value:
          '{"command":"OpenPeriod","data":{"periodId":"2026-Q1","startDate":"2026-01-01","endDate":"2026-03-31"}}\n' +
          '{"command":"RecordDefinedCost","commandId":"inv-000123","data":{"schemeId":"A","periodId":"2026-Q1","costId":"INV-000123","amount":"1250000.00"}}\n',
      },
    },
  })
  @ApiResponse({ status: 200, description: 'Every line applied (or already applied): the counts' })
  @ApiResponse({ status: 400, description: 'Stopped at a bad line: `error.line`, `error.errors[].field` and `.reason`; earlier lines applied' })
  @ApiResponse({ status: 413, description: 'Stopped at a line longer than LEDGER_MAX_IMPORT_LINE_BYTES, or where the import passed LEDGER_MAX_IMPORT_BYTES' })
  @ApiResponse({ status: 415, description: 'Not sent as application/x-ndjson in UTF-8, or in an encoding other than gzip or deflate' })
  async import(@Param('allianceId') allianceId: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply): Promise<ImportReport> {
    if (!LEDGER_ID_PATTERN.test(allianceId)) throw invalid('allianceId', 'must be 1–64 letters, digits, "-" or "_"');
    try {
      requireNdjson(request);
    } catch (error) {
      closeAfterAnswer(request.raw, response.raw);
      throw error;
    }
    // The body is read here, a line at a time, through the bounded reader.
    const metadata = commandMetadata(request);
    const report = await importNdjson(this.commands, allianceId, bodyBytes(request.raw), callerOf(request), { correlationId: metadata.correlationId }, importLimits(this.config.http));
    if (report.error) closeAfterAnswer(request.raw, response.raw);
    response.code(report.error ? (STOPPED_STATUS[report.error.kind] ?? HttpStatus.BAD_REQUEST) : HttpStatus.OK);
    return report;
  }

  @Allow('member')
  @Post('commands')
  @ApiOperation({ summary: 'Run one command written as an import line: {"command": NAME, "commandId"?: ID, "data": {…}}' })
  @ApiResponse({ status: 201, description: 'Recorded' })
  async command(@Param('allianceId') allianceId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply): Promise<CommandResult> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'must be a JSON object');
    const { command, commandId, data } = body as Record<string, unknown>;
    if (typeof command !== 'string') throw invalid('command', 'is required: the name of the command');
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalid('data', 'must be a JSON object');
    const given = (data as Record<string, unknown>).allianceId;
    if (given !== undefined && given !== allianceId) throw new DomainError('wrong_alliance', 'invalid', `data.allianceId: names ${String(given)}, not ${allianceId}`, [{ field: 'data.allianceId', reason: `names another alliance than ${allianceId}` }]);
    const metadata = commandMetadata(request);
    if (typeof commandId === 'string') metadata.commandId = commandId;
    const result = await this.commands.execute<LedgerCommand, CommandResult>(new LedgerCommand(command, { ...data, allianceId }, metadata, callerOf(request)));
    return sendCommandResult(response, result);
  }
}
