import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { AllianceConfiguration, GetAllianceTerms } from '../../alliance/alliance-terms.query';
import { Allow, AuthenticatedRequest } from '../../access/route-access';
import { parseAsAt, parseFlag } from '../../http/query-params';
import { FigureExplanation } from '../../settlement/domain/explanation';
import { partnerStatement } from '../../settlement/domain/partner-statement';
import { DerivedPeriod, GetPeriodDerivation } from '../../settlement/queries/derivation.queries';
import { GetPeriodSeries, PeriodSeries } from '../../settlement/queries/period-series.queries';
import { Explained, GetPartnerStatement, SignedStatement } from '../../settlement/queries/settlement.queries';
import { SignOffRow } from '../../read-models/entities';
import { formatPence, parsePence } from '../../shared/money';
import { decimal, pounds } from '../layout/html';
import { asAtQuery, card, chart, Html, html, moneyCell, page, pageInstant, status, table, TONE } from '../layout/page';
import { Viewer, Viewers } from '../layout/viewer';
import { derivationView } from './derivation-view';

/** What a partner reads: its reward across periods, and each statement worked out to the penny. */
@ApiExcludeController()
@Controller('ui/alliances/:allianceId')
export class StatementPagesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly viewers: Viewers,
  ) {}

  @Allow('read-statement', { partnerParam: 'partnerId' })
  @Get('partners/:partnerId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async dashboard(@Param('allianceId') allianceId: string, @Param('partnerId') partnerId: string, @Req() request: AuthenticatedRequest, @Query('asAt') asAtText?: string): Promise<string> {
    const asAt = parseAsAt(pageInstant(asAtText));
    const viewer = await this.viewers.of(request, allianceId);
    const { terms, kpis }: AllianceConfiguration = await this.queries.execute(new GetAllianceTerms(allianceId, asAt));
    const series: PeriodSeries = await this.queries.execute(new GetPeriodSeries(allianceId, asAt));
    const partner = terms.partners.find((candidate) => candidate.partnerId === partnerId);
    const base = `/ui/alliances/${allianceId}`;
    const at = asAtQuery(asAt);
    const rows = series.flatMap((period) => {
      const statement = partnerStatement(period, terms, partnerId);
      return statement ? [{ period, statement }] : [];
    });
    const latest = series[series.length - 1];
    const afr = kpis.find((kpi) => kpi.source === 'afr');
    // An AFR is lower-is-better by definition (its poor anchor is above its outstanding one): the chart colours the anchors by what they mean, not by height.
    const better = afr?.direction === 'higher-is-better' ? 'higher is better' : 'lower is better';
    const negativeCap = terms.painCap === '0.00' ? '0.00' : `-${terms.painCap}`;
    return page(
      `${partner?.name ?? partnerId}`,
      html`<h1>${partner?.name ?? partnerId} <span class="muted">${partnerId}</span></h1>
      <p>${partner?.role ?? ''} · allocation share ${partner?.allocationShare ?? '—'} · fee at risk ${pounds(partner?.feeAtRisk)}</p>
      <h2>Partners’ cumulative share against the caps</h2>
      ${chart('cumulative', 'line', [1, 2, 3, 4], 'Cumulative partners’ share C(p) by period, your part of it, and the pain and gain caps', { dashed: [3, 4], colours: { 3: TONE.bad, 4: TONE.good } })}
      ${table(
        ['Period', { label: 'C(p), all partners', num: true }, { label: 'Your part of C(p)', num: true }, { label: 'Pain cap', num: true }, { label: 'Gain cap', num: true }],
        rows.map(({ period, statement }) => [
          html`${period.periodId}`,
          moneyCell(period.cost.partnersShare, pounds(period.cost.partnersShare)),
          moneyCell(statement.cumulative.costShare, pounds(statement.cumulative.costShare)),
          moneyCell(negativeCap, pounds(negativeCap)),
          moneyCell(terms.gainCap, terms.gainCap ? pounds(terms.gainCap) : html`none`),
        ]),
        { id: 'cumulative', caption: 'Cumulative share by period (drawn above)' },
      )}
      <h2>Your payments by period</h2>
      ${chart('payments', 'bar', [2, 3, 4], 'Your cost share, performance and total by period')}
      ${table(
        ['Period', 'Status', { label: 'Cost share', num: true }, { label: 'Performance', num: true }, { label: 'Total', num: true }, 'Statement'],
        rows.map(({ period, statement }) => [
          html`${period.periodId}`,
          status(period.status),
          moneyCell(statement.costShare, pounds(statement.costShare)),
          moneyCell(statement.performance, pounds(statement.performance)),
          moneyCell(statement.total, pounds(statement.total)),
          html`<a href="${base}/periods/${period.periodId}/partners/${partnerId}${at}">statement</a>`,
        ]),
        { id: 'payments', caption: 'This period’s payments (drawn above)' },
      )}
      <h2>KPI scorecard ${latest ? html`<span class="muted">${latest.periodId}</span>` : ''}</h2>
      ${table(
        ['KPI', { label: 'Poor', num: true }, { label: 'MCOS', num: true }, { label: 'Outstanding', num: true }, { label: 'Value', num: true }, { label: 'Score', num: true }, { label: 'Weight', num: true }],
        (latest?.performance.kpis ?? []).map((line) => {
          const kpi = kpis.find((candidate) => candidate.kpiId === line.kpiId);
          return [html`${line.name} <span class="muted">${line.unit}</span>`, decimal(kpi?.poor), decimal(kpi?.mcos), decimal(kpi?.outstanding), decimal(line.value), html`${line.score ?? '—'}`, html`${line.weight}`];
        }),
        { caption: 'Against the anchors: −100 at poor, 0 at MCOS, +100 at outstanding' },
      )}
      ${afr
        ? html`<h2>Accident frequency rate</h2>
        ${chart('afr', 'line', [1, 2, 3, 4], `AFR by period against its anchors (${better})`, { dashed: [2, 3, 4], colours: { 2: TONE.bad, 3: TONE.middling, 4: TONE.good } })}
        ${table(
          ['Period', { label: 'AFR', num: true }, { label: 'Poor', num: true }, { label: 'MCOS', num: true }, { label: 'Outstanding', num: true }],
          series.map((period) => {
            const value = period.performance.kpis.find((line) => line.kpiId === afr.kpiId)?.value ?? null;
            return [html`${period.periodId}`, moneyCell(value, decimal(value)), moneyCell(afr.poor, html`${afr.poor}`), moneyCell(afr.mcos, html`${afr.mcos}`), moneyCell(afr.outstanding, html`${afr.outstanding}`)];
          }),
          { id: 'afr', caption: `${afr.name} (${afr.unit}) by period, ${better} (drawn above)` },
        )}`
        : ''}`,
      [
        [base, allianceId],
        [`${base}/partners/${partnerId}`, partnerId],
      ],
      viewer,
      { asAt: { value: asAt }, charts: true },
    );
  }

  @Allow('read-statement', { partnerParam: 'partnerId' })
  @Get('periods/:periodId/partners/:partnerId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async statement(
    @Param('allianceId') allianceId: string,
    @Param('periodId') periodId: string,
    @Param('partnerId') partnerId: string,
    @Req() request: AuthenticatedRequest,
    @Query('asAt') asAtText?: string,
    @Query('explain') explainText?: string,
  ): Promise<string> {
    const asAt = parseAsAt(pageInstant(asAtText));
    const explain = parseFlag(explainText, 'explain');
    const viewer = await this.viewers.of(request, allianceId);
    const statement: Explained<SignedStatement> = await this.queries.execute(new GetPartnerStatement(allianceId, periodId, partnerId, { asAt, explain }));
    const { derivation }: DerivedPeriod = await this.queries.execute(new GetPeriodDerivation(allianceId, periodId, asAt));
    const base = `/ui/alliances/${allianceId}`;
    const path = `${base}/periods/${periodId}/partners/${partnerId}`;
    const at = asAtQuery(asAt);
    return page(
      `${statement.name} · ${periodId}`,
      html`<h1>${statement.name} · ${periodId} ${status(statement.status)}</h1>
      <p>${statement.role} · allocation share ${statement.allocationShare} · <a href="${base}/partners/${partnerId}${at}">all periods</a> · <a href="/alliances/${allianceId}/periods/${periodId}/statements/${partnerId}?explain=true${asAtQuery(asAt, '&')}">JSON</a></p>
      <p class="downloads">Download this statement: <a href="${path}/statement.pdf${at}">PDF</a> <a href="${path}/statement.csv${at}">CSV</a></p>
      <p>Sign-off: ${signOffCell(statement.signOff ? { allianceId, periodId, partnerId, ...statement.signOff } : undefined, statement.status)}</p>
      ${asAt ? '' : signOffActions(viewer, statement.status, partnerId, path)}
      <div class="grid">${card('Cost share this period', pounds(statement.costShare))}${card('Performance', pounds(statement.performance))}${card('Total', pounds(statement.total))}</div>
      <h2>Your part</h2>
      ${table(
        ['Figure', { label: 'Alliance', num: true }, { label: 'Your part', num: true }],
        [
          [html`Partners’ cumulative share C(p)`, pounds(statement.alliance.partnersShare), pounds(statement.cumulative.costShare)],
          [html`Partners’ share to the previous period C(p−1)`, pounds(statement.alliance.previousPartnersShare), pounds(statement.cumulative.previousCostShare)],
          [html`This period C(p) − C(p−1)`, pounds(statement.alliance.partnersShareThisPeriod), pounds(statement.costShare)],
          [html`Performance amount ${statement.alliance.gated ? html`<span class="badge warn">gated</span>` : ''}`, pounds(statement.alliance.performanceAmount), pounds(statement.performance)],
        ],
        { foot: [[html`Your total`, html``, pounds(statement.total)]] },
      )}
      ${derivationView(derivation, partnerId)}
      <h2>The events behind each figure</h2>
      ${explain ? explanation(statement.explanation?.figures ?? []) : html`<p><a href="${path}?explain=true${asAt ? `&asAt=${encodeURIComponent(asAt.toISOString())}` : ''}">List the events each figure was computed from</a> <span class="muted">(replays the alliance’s history)</span></p>`}`,
      [
        [base, allianceId],
        [`${base}/periods/${periodId}${at}`, periodId],
        [path, partnerId],
      ],
      viewer,
      { asAt: { value: asAt, keep: { explain: explain ? 'true' : undefined } } },
    );
  }
}

/** A partner acknowledges or disputes its certified statement. */
function signOffActions(viewer: Viewer, periodStatus: string, partnerId: string, path: string): Html {
  if (periodStatus !== 'certified' || !viewer.may('AcknowledgeStatement', partnerId)) return html``;
  return html`<div class="actions">${viewer.form(`${path}/acknowledgement`, 'Acknowledge this statement')}${viewer.form(
    `${path}/dispute`,
    'Dispute',
    html`<label class="muted" for="dispute-reason">Reason</label> <input type="text" id="dispute-reason" name="reason" required maxlength="2000" placeholder="What is wrong (kept in the history)"> `,
  )}</div>`;
}

export function signOffCell(row: SignOffRow | undefined, periodStatus: string): Html {
  if (!row) return html`<span class="muted">${periodStatus === 'certified' ? 'not signed yet' : 'signed once certified'}</span>`;
  return html`${status(row.status)} <span class="muted">${row.by}, ${row.at}</span>${row.reason ? html`: ${row.reason}` : ''}`;
}

export function explanation(figures: FigureExplanation[]): Html {
  return html`${figures.map(
    (figure) => html`<details><summary><strong>${figure.figure}</strong> ${figure.value === null ? '' : html`= ${String(figure.value)}`} · ${figure.events.length} event(s) · <span class="muted">${figure.rule}</span></summary>
    ${table(
      [{ label: 'Position', num: true }, 'Event', 'Stream', 'Recorded', 'By', 'Effect'],
      figure.events.slice(0, 500).map((event) => [html`${event.position}`, html`${event.type}`, html`<code>${event.streamName}</code> #${event.revision}`, html`${event.recordedAt ?? ''}`, html`${event.actor ?? ''}`, effect(event.effect)]),
      { foot: effectTotals(figure) },
    )}${figure.events.length > 500 ? html`<p class="muted">First 500 of ${figure.events.length}; the JSON explanation lists them all.</p>` : ''}</details>`,
  )}`;
}

function effect(value: Record<string, unknown>): Html {
  const entries = Object.entries(value).filter(([, item]) => item !== null && item !== undefined);
  if (entries.length === 0) return html`<span class="muted">defines it</span>`;
  return html`${entries.map(([key, item], index) => html`${index ? ', ' : ''}${key} ${typeof item === 'string' && /^-?\d+\.\d{2}$/.test(item) && (key === 'target' || key === 'outturn' || key === 'partnersShare') ? pounds(item) : String(item)}`)}`;
}

/** A subtotal under a figure's events, so an outturn of 630 lines adds up on the page. */
function effectTotals(figure: FigureExplanation): Html[][] {
  const side = figure.figure === 'cost.target' ? 'target' : figure.figure === 'cost.outturn' ? 'outturn' : null;
  if (!side) return [];
  let total = 0n;
  for (const event of figure.events) {
    const amount = event.effect[side];
    if (typeof amount === 'string') total += parsePence(amount);
  }
  return [[html``, html`Subtotal of ${figure.events.length} event(s)`, html``, html``, html``, pounds(formatPence(total))]];
}
