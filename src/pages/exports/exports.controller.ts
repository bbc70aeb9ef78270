import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../access/route-access';
import { CertificateReport, CheckPeriodCertificate, EventPage, ReadAllianceEvents } from '../../audit/audit.queries';
import { EventSearchQuery, parseEventSearch } from '../../audit/event-search';
import { parseAsAt } from '../../http/query-params';
import { DerivedPeriod, GetPeriodDerivation } from '../../settlement/queries/derivation.queries';
import { GetPeriodSeries, PeriodSeries } from '../../settlement/queries/period-series.queries';
import { GetPartnerStatement, SignedStatement } from '../../settlement/queries/settlement.queries';
import { pageInstant } from '../layout/page';
import { pageSearch } from '../history/history-pages.controller';
import { csv, Sheet, xlsx } from './spreadsheets';
import { statementPdf } from './statement-pdf';

/** An export holds at most this many events; narrow the filters for more. */
const MAX_EXPORTED_EVENTS = 100_000;

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

/** Downloads of what the pages show: the history and the summaries as CSV and XLSX, a statement as PDF and CSV. */
@ApiExcludeController()
@Controller('ui/alliances/:allianceId')
export class ExportsController {
  constructor(private readonly queries: QueryBus) {}

  @Allow('read')
  @Get('exports/events.csv')
  async eventsCsv(@Param('allianceId') allianceId: string, @Query() query: EventSearchQuery, @Res() response: FastifyReply) {
    send(response, `${allianceId}-events.csv`, 'csv', csv(await this.eventSheet(allianceId, query)));
  }

  @Allow('read')
  @Get('exports/events.xlsx')
  async eventsXlsx(@Param('allianceId') allianceId: string, @Query() query: EventSearchQuery, @Res() response: FastifyReply) {
    send(response, `${allianceId}-events.xlsx`, 'xlsx', await xlsx([await this.eventSheet(allianceId, query)]));
  }

  @Allow('read')
  @Get('exports/summaries.csv')
  async summariesCsv(@Param('allianceId') allianceId: string, @Query('asAt') asAt: string | undefined, @Res() response: FastifyReply) {
    send(response, `${allianceId}-summaries.csv`, 'csv', csv((await this.summarySheets(allianceId, asAt))[0]));
  }

  @Allow('read')
  @Get('exports/summaries.xlsx')
  async summariesXlsx(@Param('allianceId') allianceId: string, @Query('asAt') asAt: string | undefined, @Res() response: FastifyReply) {
    send(response, `${allianceId}-summaries.xlsx`, 'xlsx', await xlsx(await this.summarySheets(allianceId, asAt)));
  }

  @Allow('read-statement', { partnerParam: 'partnerId' })
  @Get('periods/:periodId/partners/:partnerId/statement.pdf')
  async statementPdf(@Param() path: Record<string, string>, @Query('asAt') asAtText: string | undefined, @Res() response: FastifyReply) {
    const { statement, derived, asAt } = await this.statement(path, asAtText);
    const certificate: CertificateReport | null = statement.status === 'certified' ? await this.queries.execute(new CheckPeriodCertificate(path.allianceId, path.periodId, asAt)) : null;
    send(response, `${path.allianceId}-${path.periodId}-${path.partnerId}.pdf`, 'pdf', await statementPdf(statement, derived.derivation, certificate, asAt));
  }

  @Allow('read-statement', { partnerParam: 'partnerId' })
  @Get('periods/:periodId/partners/:partnerId/statement.csv')
  async statementCsv(@Param() path: Record<string, string>, @Query('asAt') asAtText: string | undefined, @Res() response: FastifyReply) {
    const { statement, derived } = await this.statement(path, asAtText);
    const { cost, performance } = derived.derivation;
    const rows: Sheet['rows'] = [
      ['status', statement.status, ''],
      ['target', cost.target, 'T'],
      ['outturn', cost.outturn, 'A'],
      ['ratio', cost.ratio, 'R = A / T'],
      ...cost.bands.map((band): Sheet['rows'][number] => [`band ${band.from}-${band.to ?? ''}`, band.amount, `T × ${band.length} × ${band.share}`]),
      ['uncapped', cost.uncapped, 'sum of the bands'],
      ['partnersShare', cost.partnersShare, `C(p)${cost.capApplied ? `, ${cost.capApplied} cap` : ''}`],
      ['previousPartnersShare', cost.previousPartnersShare, 'C(p−1)'],
      ['partnersShareThisPeriod', cost.thisPeriod, 'C(p) − C(p−1)'],
      ...performance.kpis.map((kpi): Sheet['rows'][number] => [`kpi ${kpi.kpiId}`, kpi.score, `value ${kpi.value ?? ''}; ${kpi.rule}; weight ${kpi.weight}`]),
      ['score', performance.score, 'S = Σ weight × score'],
      ['performanceAmount', performance.amount, performance.pool ? `S / 100 × ${performance.pool.kind} ${performance.pool.max}${performance.gated ? ', gated' : ''}` : 'no score'],
      ['yourCumulativeCostShare', statement.cumulative.costShare, `your part of C(p) at ${statement.allocationShare}`],
      ['yourPreviousCumulativeCostShare', statement.cumulative.previousCostShare, 'your part of C(p−1)'],
      ['costShare', statement.costShare, 'this period'],
      ['performance', statement.performance, 'your part of the performance amount'],
      ['total', statement.total, ''],
      ['signOff', statement.signOff?.status ?? null, statement.signOff ? `${statement.signOff.by} ${statement.signOff.at} ${statement.signOff.reason ?? ''}`.trim() : ''],
    ];
    send(response, `${path.allianceId}-${path.periodId}-${path.partnerId}.csv`, 'csv', csv({ name: 'statement', columns: ['figure', 'value', 'how'], rows }));
  }

  private async statement(path: Record<string, string>, asAtText: string | undefined) {
    const asAt = parseAsAt(pageInstant(asAtText));
    const statement: SignedStatement = await this.queries.execute(new GetPartnerStatement(path.allianceId, path.periodId, path.partnerId, { asAt }));
    const derived: DerivedPeriod = await this.queries.execute(new GetPeriodDerivation(path.allianceId, path.periodId, asAt));
    return { statement, derived, asAt };
  }

  private async eventSheet(allianceId: string, query: EventSearchQuery): Promise<Sheet> {
    const search = parseEventSearch({ ...pageSearch(query), after: undefined, before: undefined }, { order: 'oldest', limit: 1000 });
    const rows: Sheet['rows'] = [];
    let after = search.after;
    for (;;) {
      const page: EventPage = await this.queries.execute(new ReadAllianceEvents(allianceId, { ...search, after, order: 'oldest' }));
      for (const event of page.events) {
        const metadata = event.metadata as Record<string, string | undefined>;
        rows.push([event.position, metadata.recordedAt ?? event.created, metadata.actor ?? '', event.type, event.streamName, event.revision, event.eventId, metadata.commandId ?? '', JSON.stringify(event.data)]);
      }
      if (!page.next || rows.length >= MAX_EXPORTED_EVENTS) break;
      after = parseEventSearch({ after: page.next }).after;
    }
    return { name: 'events', columns: ['position', 'recordedAt', 'actor', 'type', 'stream', 'revision', 'eventId', 'commandId', 'data'], rows };
  }

  private async summarySheets(allianceId: string, asAtText: string | undefined): Promise<Sheet[]> {
    const series: PeriodSeries = await this.queries.execute(new GetPeriodSeries(allianceId, parseAsAt(pageInstant(asAtText))));
    const periods: Sheet = {
      name: 'periods',
      columns: ['periodId', 'startDate', 'endDate', 'status', 'target', 'outturn', 'variance', 'ratio', 'partnersShare', 'ownerShare', 'capApplied', 'previousPartnersShare', 'partnersShareThisPeriod', 'score', 'gated', 'performanceAmount'],
      rows: series.map((p) => [p.periodId, p.startDate, p.endDate, p.status, p.cost.target, p.cost.outturn, p.cost.variance, p.cost.ratio, p.cost.partnersShare, p.cost.ownerShare, p.cost.capApplied, p.cost.previousPartnersShare, p.cost.partnersShareThisPeriod, p.performance.score, String(p.performance.gated), p.performance.amount]),
    };
    const partners: Sheet = {
      name: 'partners',
      columns: ['periodId', 'partnerId', 'costShare', 'performance', 'total'],
      rows: series.flatMap((p) => p.partners.map((line) => [p.periodId, line.partnerId, line.costShare, line.performance, line.total])),
    };
    const kpis: Sheet = {
      name: 'kpis',
      columns: ['periodId', 'kpiId', 'name', 'unit', 'value', 'score', 'weight', 'gate'],
      rows: series.flatMap((p) => p.performance.kpis.map((kpi) => [p.periodId, kpi.kpiId, kpi.name, kpi.unit, kpi.value, kpi.score, kpi.weight, String(kpi.gate)])),
    };
    return [periods, partners, kpis];
  }
}

function send(response: FastifyReply, filename: string, kind: keyof typeof TYPES, body: Buffer): void {
  response.header('Content-Type', TYPES[kind]);
  response.header('Content-Disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`);
  response.header('Cache-Control', 'private, no-store');
  response.send(body);
}
