import { Allow } from '../access/route-access';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseAfter, parseLimit } from '../http/query-params';
import { CertificateReport, CheckPeriodCertificate, EventPage, ReadAllianceEvents } from './audit.queries';

@ApiTags('Audit')
@Controller('alliances/:allianceId')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Allow('read')
  @Get('events')
  @ApiOperation({ summary: 'The alliance’s event history, oldest first, with who recorded each event, when and why' })
  @ApiQuery({ name: 'after', required: false, description: 'The `next` of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 100' })
  @ApiQuery({ name: 'type', required: false, description: 'Comma-separated event types, e.g. DefinedCostRecorded,CostDisallowed' })
  @ApiQuery({ name: 'stream', required: false, description: 'Stream within the alliance, e.g. scheme.A or periods' })
  events(@Param('allianceId') allianceId: string, @Query() query: { after?: string; limit?: string; type?: string; stream?: string }): Promise<EventPage> {
    return this.queries.execute(
      new ReadAllianceEvents(allianceId, {
        after: parseAfter(query.after),
        limit: parseLimit(query.limit),
        types: query.type ? query.type.split(',').filter(Boolean) : undefined,
        stream: query.stream || undefined,
      }),
    );
  }

  @Allow('read')
  @Get('periods/:periodId/certificate')
  @ApiOperation({
    summary: 'A closed period’s certificate, checked: recomputed from its input events, the digest and the figures compared',
  })
  certificate(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string): Promise<CertificateReport> {
    return this.queries.execute(new CheckPeriodCertificate(allianceId, periodId));
  }
}
