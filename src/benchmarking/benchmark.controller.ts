import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeEndpoint, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccessControl } from '../access/access-control';
import { Principal } from '../access/identity/principal';
import { Allow, AuthenticatedRequest, Caller } from '../access/route-access';
import { decimal, pounds } from '../pages/layout/html';
import { Html, html, page, table } from '../pages/layout/page';
import { Viewers } from '../pages/layout/viewer';
import { isDomainError } from '../shared/domain-error';
import { Benchmark, GetBenchmark } from './benchmark.query';

@ApiTags('Benchmarking')
@Controller()
export class BenchmarkController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: AccessControl,
    private readonly viewers: Viewers,
  ) {}

  @Allow('read-benchmark')
  @Get('alliances/:allianceId/benchmark')
  @ApiOperation({
    summary: 'The deployment’s alliances benchmarked on the same measures for a year, ranked with quartiles and flagged for data quality; other alliances anonymised unless the caller may see their names',
  })
  @ApiQuery({ name: 'year', required: false, description: 'YYYY: periods ending in that year (default: the latest)' })
  async benchmark(@Param('allianceId') allianceId: string, @Query('year') year: string | undefined, @Caller() caller: Principal): Promise<Benchmark> {
    return this.queries.execute(new GetBenchmark(allianceId, await this.mayName(caller, allianceId), year));
  }

  @Allow('read-benchmark')
  @Get('ui/alliances/:allianceId/benchmark')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async benchmarkPage(
    @Param('allianceId') allianceId: string,
    @Query('year') year: string | undefined,
    @Caller() caller: Principal,
    @Req() request: AuthenticatedRequest,
    @Query('asAt') asAtText?: string,
  ): Promise<string> {
    const viewer = await this.viewers.of(request, allianceId);
    const benchmark: Benchmark = await this.queries.execute(new GetBenchmark(allianceId, await this.mayName(caller, allianceId), year));
    return page(`Benchmark ${benchmark.year ?? ''}`, benchmarkBody(benchmark), [[`/ui/alliances/${allianceId}`, allianceId], [`/ui/alliances/${allianceId}/benchmark`, 'benchmark']], viewer, {
      presentOnly: { asked: asAtText, why: 'the benchmark ranks every alliance’s figures for a year as they stand now. Each alliance’s own pages show its figures as at an instant.' },
    });
  }

  /** The permissions table decides: `benchmark-names` shows every alliance by name. */
  private async mayName(caller: Principal, allianceId: string): Promise<boolean> {
    try {
      await this.access.authorize(caller, { action: 'benchmark-names', allianceId, partnerId: null });
      return true;
    } catch (error) {
      if (isDomainError(error) && error.kind === 'forbidden') return false;
      throw error;
    }
  }
}

function benchmarkBody(benchmark: Benchmark): Html {
  const years = benchmark.years.map((year) => (year === benchmark.year ? html`<strong>${year}</strong>` : html`<a href="?year=${year}">${year}</a>`));
  return html`<h1>Benchmark ${benchmark.year ?? ''}</h1>
    <p>${benchmark.viewer.named ? 'Every alliance is named.' : 'Other alliances are anonymised.'} Years: ${years.map((year, index) => html`${index ? ' · ' : ''}${year}`)}</p>
    <h2>Alliances</h2>
    ${table(
      ['Alliance', { label: 'T', num: true }, { label: 'A', num: true }, { label: 'T − A', num: true }, { label: 'R', num: true }, { label: 'Gain/pain per £', num: true }, { label: 'AFR', num: true }, { label: 'Incidents', num: true }, { label: 'Score', num: true }, { label: 'Time on site %', num: true }, 'Data quality'],
      benchmark.alliances.map((row) => [
        html`${row.label}`,
        pounds(row.cost.target),
        pounds(row.cost.outturn),
        pounds(row.cost.variance),
        decimal(row.cost.ratio),
        decimal(row.cost.gainPainPerPound),
        decimal(row.safety.afr),
        html`${row.safety.incidents}`,
        decimal(row.score),
        decimal(row.timeOnSite.percent),
        row.flags.length === 0 ? html`<span class="muted">none</span>` : html`${row.flags.map((flag) => html`<span class="badge warn" title="${flag.message}">${flag.code} ×${flag.count}</span> `)}`,
      ]),
      { caption: 'Cost for the year: the movement of the pool of completed schemes; gain (+) or pain (−) is the partners’ share', scrolls: 'Alliances benchmarked (scrolls sideways)' },
    )}
    <h2>Rankings</h2>
    ${table(
      ['Measure', 'Better', { label: 'Q1', num: true }, { label: 'Median', num: true }, { label: 'Q3', num: true }, 'Ranked (rank · quartile)'],
      benchmark.rankings.map((ranking) => [
        html`${ranking.measure}`,
        html`${ranking.better}`,
        decimal(ranking.quartiles?.q1),
        decimal(ranking.quartiles?.median),
        decimal(ranking.quartiles?.q3),
        html`${ranking.ranked.map((entry) => html`${entry.rank}. ${entry.label}${entry.schemeId ? html` ${entry.schemeId}` : ''} (${entry.value}, Q${entry.quartile})<br>`)}`,
      ]),
      { caption: 'Quartile 1 is the best quarter of the field' },
    )}
    <h2>By partner role</h2>
    ${table(
      ['Alliance', 'Role', { label: 'Partners', num: true }, { label: 'Cost share', num: true }, { label: 'Performance', num: true }, { label: 'Total', num: true }, { label: 'Per £ of target', num: true }],
      benchmark.roles.map((row) => [html`${row.label}`, html`${row.role}`, html`${row.partners}`, pounds(row.costShare), pounds(row.performance), pounds(row.total), decimal(row.perPoundOfTarget)]),
    )}`;
}
