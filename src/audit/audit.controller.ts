import { Allow } from '../access/route-access';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseAsAt } from '../http/query-params';
import { EventSearchQuery, parseEventSearch } from './event-search';
import { CertificateReport, CheckPeriodCertificate, EventPage, ReadAllianceEvents } from './audit.queries';

@ApiTags('Audit')
@Controller('alliances/:allianceId')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Allow('read')
  @Get('events')
  @ApiOperation({ summary: 'The alliance’s event history, oldest (or newest) first, with who recorded each event, when and why' })
  @ApiQuery({ name: 'after', required: false, description: 'Events after this position: the `next` (oldest first) or `newer` of a page' })
  @ApiQuery({ name: 'before', required: false, description: 'Events before this position: the `next` (newest first) or `older` of a page' })
  @ApiQuery({ name: 'order', required: false, description: '`oldest` (default) or `newest` first' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 100' })
  @ApiQuery({ name: 'type', required: false, description: 'Comma-separated event types, e.g. DefinedCostRecorded,CostDisallowed' })
  @ApiQuery({ name: 'stream', required: false, description: 'Stream within the alliance, e.g. scheme.A or periods' })
  @ApiQuery({ name: 'scheme', required: false, description: 'A scheme’s events (the stream scheme.ID)' })
  @ApiQuery({ name: 'period', required: false, description: 'Events whose data names this period' })
  @ApiQuery({ name: 'actor', required: false, description: 'Events recorded by this subject' })
  @ApiQuery({ name: 'from', required: false, description: 'Recorded at or after this instant (ISO 8601)' })
  @ApiQuery({ name: 'to', required: false, description: 'Recorded before this instant (ISO 8601)' })
  @ApiQuery({ name: 'asAt', required: false, description: 'The history as it stood at this instant: events recorded at or before it (ISO 8601), as `asAt` counts them for the figures' })
  @ApiQuery({ name: 'q', required: false, description: 'An event id (or its start), a command or correlation id, or an id in the data (cost line, CE, incident…)' })
  events(@Param('allianceId') allianceId: string, @Query() query: EventSearchQuery): Promise<EventPage> {
    return this.queries.execute(new ReadAllianceEvents(allianceId, parseEventSearch(query)));
  }

  @Allow('read')
  @Get('periods/:periodId/certificate')
  @ApiOperation({
    summary: 'A closed period’s certificate, checked: recomputed from its input events, the digest and the figures compared',
  })
  @ApiQuery({ name: 'asAt', required: false, description: 'The check as it stood at this instant (ISO 8601): 404 if the period had not been closed by then' })
  certificate(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Query('asAt') asAt?: string): Promise<CertificateReport> {
    return this.queries.execute(new CheckPeriodCertificate(allianceId, periodId, parseAsAt(asAt)));
  }
}
