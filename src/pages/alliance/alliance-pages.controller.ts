import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Principal } from '../../access/identity/principal';
import { Allow, AuthenticatedRequest, Caller, SignedIn } from '../../access/route-access';
import { parseAsAt } from '../../http/query-params';
import { AllianceConfiguration, GetAllianceTerms } from '../../alliance/alliance-terms.query';
import { AllianceRow, SignOffRow } from '../../read-models/entities';
import { GetSignOffs } from '../../statements/sign-off.queries';
import { GetSchemeDetail, SchemeDetail } from '../../schemes/scheme-detail.query';
import { AllianceOverview, GetAllianceOverview, ListAlliances } from '../../settlement/queries/alliance-overview.queries';
import { GetPeriodSeries, PeriodSeries } from '../../settlement/queries/period-series.queries';
import { formatPence, parsePence } from '../../shared/money';
import { DataQuality, GetDataQuality } from '../../benchmarking/data-quality.query';
import { decimal, pounds } from '../layout/html';
import { asAtQuery, chart, Html, html, moneyCell, page, pageInstant, status, table } from '../layout/page';
import { Viewers } from '../layout/viewer';

type Partner = { partnerId: string; name: string; role: string; allocationShare: string; feeAtRisk: string };

/** The alliance as commercial managers and auditors see it: periods charted, KPIs, partners, schemes. */
@ApiExcludeController()
@Controller()
export class AlliancePagesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly viewers: Viewers,
  ) {}

  @SignedIn()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async home(@Caller() caller: Principal, @Req() request: AuthenticatedRequest, @Query('asAt') asAtText?: string): Promise<string> {
    const viewer = await this.viewers.of(request, null);
    const alliances: AllianceRow[] = await this.queries.execute(new ListAlliances(caller));
    return page(
      'Alliances',
      html`<h1>Alliances</h1>
      ${alliances.length === 0 ? html`<p class="muted">No alliance yet. Start with <code>npm run demo</code>, or import commands (see <a href="/docs">the API</a>).</p>` : ''}
      ${table(
        ['Alliance', 'Owner', { label: 'Partners', num: true }, { label: 'Schemes', num: true }, { label: 'Periods', num: true }],
        alliances.map((alliance) => [html`<a href="/ui/alliances/${alliance.allianceId}">${alliance.name}</a>`, html`${alliance.owner}`, html`${(alliance.partners as unknown[]).length}`, html`${alliance.schemeCount}`, html`${alliance.periodCount}`]),
        { caption: 'Alliances you hold a role in' },
      )}
      <p class="muted">API documentation: <a href="/docs">/docs</a> · health: <a href="/health">/health</a></p>`,
      [],
      viewer,
      { presentOnly: { asked: asAtText, why: 'it lists the alliances you hold a role in today. Open an alliance to see its figures as at an instant.' } },
    );
  }

  @Allow('read')
  @Get('ui/alliances/:allianceId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async alliance(@Param('allianceId') allianceId: string, @Req() request: AuthenticatedRequest, @Query('asAt') asAtText?: string): Promise<string> {
    const asAt = parseAsAt(pageInstant(asAtText));
    const viewer = await this.viewers.of(request, allianceId);
    const { alliance, schemes, signOffs: signOffsNow }: AllianceOverview = await this.queries.execute(new GetAllianceOverview(allianceId));
    const series: PeriodSeries = await this.queries.execute(new GetPeriodSeries(allianceId, asAt));
    const quality: DataQuality = await this.queries.execute(new GetDataQuality(allianceId));
    const base = `/ui/alliances/${allianceId}`;
    // As at an instant, the partners and sign-offs are the ledger's then; the schemes and the data-quality flags are now, and say so.
    const partners: Partner[] = asAt ? ((await this.queries.execute(new GetAllianceTerms(allianceId, asAt))) as AllianceConfiguration).terms.partners : (alliance.partners as Partner[]);
    const signOffs: SignOffRow[] = asAt ? await this.queries.execute(new GetSignOffs(allianceId, undefined, asAt)) : signOffsNow;
    const now = asAt ? html` <span class="muted">(now)</span>` : '';
    const kpis = series.length ? series[series.length - 1].performance.kpis : [];
    const at = asAtQuery(asAt);
    return page(
      alliance.name,
      html`<h1>${alliance.name}</h1>
      <p>Owner: ${alliance.owner} · <a href="${base}/events${at}">event history</a> · <a href="${base}/changes${at}">what changed between two dates</a> · <a href="${base}/benchmark">benchmark</a></p>
      ${dataQualityTable(quality, now)}
      <p class="downloads">Download the period summaries: <a href="${base}/exports/summaries.csv${at}">CSV</a> <a href="${base}/exports/summaries.xlsx${at}">XLSX</a></p>
      <h2>Target and outturn by period</h2>
      <div class="pair">${chart('periods', 'bar', [2, 3], 'Target T and outturn A, cumulative over completed schemes, by period')}${chart('periods', 'line', [4], 'The ratio R = A / T by period')}</div>
      ${chart('periods', 'bar', [5, 6], 'Partners’ gain (positive) or pain (negative): cumulative C(p) and this period’s C(p) − C(p−1)')}
      ${table(
        ['Period', 'Status', { label: 'Target T', num: true }, { label: 'Outturn A', num: true }, { label: 'R', num: true }, { label: 'Partners’ share C(p)', num: true }, { label: 'This period', num: true }, { label: 'Score S', num: true }, { label: 'Performance', num: true }],
        series.map((period) => [
          html`<a href="${base}/periods/${period.periodId}${at}">${period.periodId}</a> <span class="muted">${period.startDate} – ${period.endDate}</span>`,
          html`${status(period.status)}${period.cost.capApplied ? html` <span class="badge warn">${period.cost.capApplied} cap</span>` : ''}${period.performance.gated ? html` <span class="badge warn">gated</span>` : ''}${period.closeProposal ? html` <span class="badge">close proposed</span>` : ''}`,
          moneyCell(period.cost.target, pounds(period.cost.target)),
          moneyCell(period.cost.outturn, pounds(period.cost.outturn)),
          moneyCell(period.cost.ratio, html`${period.cost.ratio ?? '—'}`),
          moneyCell(period.cost.partnersShare, pounds(period.cost.partnersShare)),
          moneyCell(period.cost.partnersShareThisPeriod, pounds(period.cost.partnersShareThisPeriod)),
          html`${period.performance.score ?? '—'}`,
          pounds(period.performance.amount),
        ]),
        { id: 'periods', caption: 'Each period’s figures (the charts above draw these)' },
      )}
      <h2>KPI scorecard</h2>
      ${table(
        ['Period', ...kpis.map((kpi) => ({ label: `${kpi.name} (${kpi.unit}), weight ${kpi.weight}${kpi.gate ? ', gate' : ''}`, num: true })), { label: 'Score S', num: true }],
        // A row per period, so the table grows downwards as periods are added and stays as wide as the KPIs.
        series.map((period) => [
          html`<a href="${base}/periods/${period.periodId}${at}">${period.periodId}</a>`,
          ...kpis.map((kpi) => {
            const line = period.performance.kpis.find((candidate) => candidate.kpiId === kpi.kpiId);
            return line?.value == null ? html`<span class="muted">—</span>` : html`${decimal(line.value)} <span class="muted">(${line.score})</span>`;
          }),
          html`${period.performance.score ?? '—'}`,
        ]),
        { caption: 'Value per period, score in brackets (−100 poor, 0 MCOS, +100 outstanding)', className: 'scorecard' },
      )}
      <h2>Partners</h2>
      ${table(
        ['Partner', 'Role', { label: 'Allocation share', num: true }, { label: 'Fee at risk', num: true }],
        partners.map((partner) => [
          viewer.may('read-statement', partner.partnerId) ? html`<a href="${base}/partners/${partner.partnerId}${at}">${partner.name}</a> <span class="muted">${partner.partnerId}</span>` : html`${partner.name} <span class="muted">${partner.partnerId}</span>`,
          html`${partner.role}`,
          html`${partner.allocationShare}`,
          pounds(partner.feeAtRisk),
        ]),
      )}
      <h2>Statement sign-off</h2>
      ${signOffs.length === 0 ? html`<p class="muted">No partner ${asAt ? 'had' : 'has'} signed a certified statement ${asAt ? 'by then' : 'yet'}.</p>` : signOffTable(signOffs, (row) => `${base}/periods/${row.periodId}/partners/${row.partnerId}${at}`)}
      <h2>Schemes${now}</h2>
      ${table(
        ['Scheme', 'Status', { label: 'Target', num: true }, { label: 'Defined cost', num: true }, { label: 'Disallowed', num: true }, { label: 'Outturn', num: true }, { label: 'Variance', num: true }],
        schemes.map((scheme) => [
          html`<a href="${base}/schemes/${scheme.schemeId}${at}">${scheme.name}</a> <span class="muted">${scheme.schemeId}</span>`,
          html`${scheme.status === 'completed' ? `completed ${scheme.completedPeriodId}` : 'in progress'}`,
          pounds(scheme.target),
          pounds(scheme.definedCost),
          pounds(scheme.disallowed),
          pounds(scheme.outturn),
          pounds(scheme.variance),
        ]),
      )}`,
      [[base, alliance.name]],
      viewer,
      { asAt: { value: asAt }, charts: true },
    );
  }

  @Allow('read')
  @Get('ui/alliances/:allianceId/schemes/:schemeId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async scheme(@Param('allianceId') allianceId: string, @Param('schemeId') schemeId: string, @Req() request: AuthenticatedRequest, @Query('asAt') asAtText?: string): Promise<string> {
    const asAt = parseAsAt(pageInstant(asAtText));
    const viewer = await this.viewers.of(request, allianceId);
    const scheme: SchemeDetail = await this.queries.execute(new GetSchemeDetail(allianceId, schemeId, asAt));
    const base = `/ui/alliances/${allianceId}`;
    const reversal = (value: { periodId: string; reason: string } | null) => (value ? html`<span class="badge warn">reversed ${value.periodId}</span> ${value.reason}` : html``);
    return page(
      `${scheme.name}`,
      html`<h1>${scheme.name} <span class="muted">${schemeId}</span></h1>
      <p>${scheme.completedIn ? html`Completed in ${scheme.completedIn}: counts in T and A from that period.` : 'In progress: not yet in the pool that T and A are taken over.'} · <a href="${base}/events?scheme=${encodeURIComponent(schemeId)}${asAtQuery(asAt, '&')}">its events</a></p>
      <h2>Time on site</h2>
      ${table(
        ['', 'Work started on site', 'Road reopened', { label: 'Days on site', num: true }],
        [
          [html`Planned`, html`${scheme.site.plannedStart ?? '—'}`, html`${scheme.site.plannedReopen ?? '—'}`, html`${scheme.site.plannedDays ?? '—'}`],
          [html`Actual`, html`${scheme.site.actualStart ?? '—'}`, html`${scheme.site.actualReopen ?? '—'}`, html`${scheme.site.actualDays ?? '—'}`],
        ],
        { caption: 'Days count the first day and the day the road reopened' },
      )}
      <h2>Target build-up</h2>
      ${table(
        ['Entry', 'Period', 'Reason', { label: 'Amount', num: true }],
        [
          ...(scheme.baseline ? [[html`Baseline`, html`${scheme.baseline.periodId}`, html``, pounds(scheme.baseline.amount)]] : []),
          ...scheme.compensationEvents.map((ce) => [html`Compensation event ${ce.ceId}`, html`${ce.periodId}`, html`${ce.reason ?? ''} ${reversal(ce.reversal)}`, ce.reversal ? html`<s>${pounds(ce.amount)}</s>` : pounds(ce.amount)]),
        ],
        { caption: 'Baseline and compensation events', foot: [[html`Target`, html``, html``, pounds(scheme.totals.target)]] },
      )}
      <h2>Cost lines</h2>
      ${table(
        ['Cost line', 'Period', 'Description', { label: 'Recorded', num: true }, { label: 'Disallowed', num: true }, { label: 'Counts', num: true }],
        scheme.costLines.map((line) => [html`${line.costId}`, html`${line.periodId}`, html`${line.description ?? ''} ${reversal(line.reversal)}`, pounds(line.amount), pounds(line.disallowed), pounds(line.net)]),
        {
          caption: `${scheme.costLines.length} cost line(s)`,
          foot: [[html`Subtotal`, html``, html`${scheme.totals.reversed !== '0.00' ? html`reversed: ${pounds(scheme.totals.reversed)}` : ''}`, pounds(scheme.totals.definedCost), pounds(scheme.totals.disallowed), pounds(scheme.totals.outturn)]],
        },
      )}
      <h2>By period</h2>
      ${table(
        ['Period', { label: 'Target moved', num: true }, { label: 'Outturn moved', num: true }, { label: 'Target to date', num: true }, { label: 'Outturn to date', num: true }, { label: 'Variance to date T − A', num: true }],
        scheme.byPeriod.map((row) => [html`${row.periodId}`, pounds(row.target), pounds(row.outturn), pounds(row.cumulativeTarget), pounds(row.cumulativeOutturn), pounds(formatPence(parsePence(row.cumulativeTarget) - parsePence(row.cumulativeOutturn)))]),
        { caption: 'Where the target and outturn moved, period by period' },
      )}
      <p>Variance T − A: <strong>${pounds(scheme.totals.variance)}</strong></p>`,
      [
        [`${base}${asAtQuery(asAt)}`, allianceId],
        [`${base}/schemes/${schemeId}`, schemeId],
      ],
      viewer,
      { asAt: { value: asAt } },
    );
  }
}

/** The data-quality flags the benchmark carries, on the alliance's own page. */
function dataQualityTable(quality: DataQuality, now: Html | string): Html {
  const rows = quality.flatMap(({ year, flags }) => flags.map((flag) => [html`${year}`, html`<span class="badge warn">${flag.code}</span>`, html`${flag.count}`, html`${flag.periods.join(', ')}`, html`${flag.message}`]));
  if (rows.length === 0) return html`<p class="muted" id="data-quality">Data quality${now}: no flags.</p>`;
  return html`<h2 id="data-quality">Data quality${now}</h2>
      ${table(['Year', 'Flag', { label: 'Count', num: true }, 'Periods', 'What it means'], rows, { caption: 'What weakens these figures in a benchmark' })}`;
}

export function signOffTable(rows: SignOffRow[], link: (row: SignOffRow) => string): Html {
  return table(
    ['Period', 'Partner', 'Sign-off', 'By', 'At', 'Reason'],
    rows.map((row) => [html`${row.periodId}`, html`<a href="${link(row)}">${row.partnerId}</a>`, status(row.status), html`${row.by}`, html`${row.at}`, html`${row.reason ?? ''}`]),
  );
}
