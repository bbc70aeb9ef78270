import { Principal } from '../access/identity/principal';
import { Allow, Caller, SignedIn } from '../access/route-access';
import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { EventPage, ReadAllianceEvents } from '../audit/audit.queries';
import { parseAfter } from '../http/query-params';
import { AllianceRow } from '../read-models/entities';
import { FigureExplanation } from '../settlement/domain/explanation';
import { PartnerStatement } from '../settlement/domain/partner-statement';
import { PeriodSummary } from '../settlement/domain/summary.types';
import { AllianceOverview, GetAllianceOverview, ListAlliances } from '../settlement/queries/alliance-overview.queries';
import { Explained, GetPartnerStatement, GetPeriodSummary } from '../settlement/queries/settlement.queries';
import { Html, html, page, pounds } from './html';

/** Pages for people: partners reading statements, commercial teams and auditors reading the history. */
@ApiExcludeController()
@Controller()
export class PagesController {
  constructor(private readonly queries: QueryBus) {}

  @SignedIn()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async home(@Caller() caller: Principal): Promise<string> {
    const alliances: AllianceRow[] = await this.queries.execute(new ListAlliances(caller));
    return page(
      'Alliances',
      html`<h1>Alliances</h1>
      ${alliances.length === 0 ? html`<p class="muted">No alliance yet. Start with <code>npm run demo</code>, or import commands (see <a href="/docs">the API</a>).</p>` : ''}
      <table><tr><th>Alliance</th><th>Owner</th><th class="num">Partners</th><th class="num">Schemes</th><th class="num">Periods</th></tr>
      ${alliances.map(
        (alliance) =>
          html`<tr><td><a href="/ui/alliances/${alliance.allianceId}">${alliance.name}</a></td><td>${alliance.owner}</td><td class="num">${(alliance.partners as unknown[]).length}</td><td class="num">${alliance.schemeCount}</td><td class="num">${alliance.periodCount}</td></tr>`,
      )}</table>
      <p class="muted">API documentation: <a href="/docs">/docs</a> · health: <a href="/health">/health</a></p>`,
    );
  }

  @Allow('read')
  @Get('ui/alliances/:allianceId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async alliance(@Param('allianceId') allianceId: string): Promise<string> {
    const { alliance, periods, schemes }: AllianceOverview = await this.queries.execute(new GetAllianceOverview(allianceId));
    const base = `/ui/alliances/${allianceId}`;
    const partners = alliance.partners as Array<{ partnerId: string; name: string; role: string; allocationShare: string; feeAtRisk: string }>;
    return page(
      alliance.name,
      html`<h1>${alliance.name}</h1><p>Owner: ${alliance.owner} · <a href="${base}/events">event history</a></p>
      <h2>Periods</h2>
      <table><tr><th>Period</th><th>Status</th><th class="num">Target T</th><th class="num">Outturn A</th><th class="num">R</th><th class="num">Partners’ share C</th><th class="num">This period</th><th class="num">Score</th><th class="num">Performance</th></tr>
      ${periods.map(
        (period) => html`<tr><td><a href="${base}/periods/${period.periodId}">${period.periodId}</a> <span class="muted">${period.startDate} – ${period.endDate}</span></td>
        <td>${status(period.status)}${period.capApplied ? html` <span class="badge warn">${period.capApplied} cap</span>` : ''}${period.gated ? html` <span class="badge warn">gated</span>` : ''}</td>
        <td class="num">${pounds(period.target)}</td><td class="num">${pounds(period.outturn)}</td><td class="num">${period.ratio ?? '—'}</td>
        <td class="num">${pounds(period.partnersShare)}</td><td class="num">${pounds(period.partnersShareThisPeriod)}</td><td class="num">${period.score ?? '—'}</td><td class="num">${pounds(period.performanceAmount)}</td></tr>`,
      )}</table>
      <h2>Partners</h2>
      <table><tr><th>Partner</th><th>Role</th><th class="num">Allocation share</th><th class="num">Fee at risk</th></tr>
      ${partners.map((partner) => html`<tr><td>${partner.name} <span class="muted">${partner.partnerId}</span></td><td>${partner.role}</td><td class="num">${partner.allocationShare}</td><td class="num">${pounds(partner.feeAtRisk)}</td></tr>`)}</table>
      <h2>Schemes</h2>
      <table><tr><th>Scheme</th><th>Status</th><th class="num">Target</th><th class="num">Defined cost</th><th class="num">Disallowed</th><th class="num">Outturn</th><th class="num">Variance</th></tr>
      ${schemes.map(
        (scheme) => html`<tr><td>${scheme.name} <span class="muted">${scheme.schemeId}</span></td><td>${scheme.status === 'completed' ? `completed ${scheme.completedPeriodId}` : 'in progress'}</td>
        <td class="num">${pounds(scheme.target)}</td><td class="num">${pounds(scheme.definedCost)}</td><td class="num">${pounds(scheme.disallowed)}</td><td class="num">${pounds(scheme.outturn)}</td><td class="num">${pounds(scheme.variance)}</td></tr>`,
      )}</table>`,
      [[base, alliance.name]],
    );
  }

  @Allow('read')
  @Get('ui/alliances/:allianceId/periods/:periodId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async period(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string): Promise<string> {
    const summary: Explained<PeriodSummary> = await this.queries.execute(new GetPeriodSummary(allianceId, periodId, { explain: true }));
    const base = `/ui/alliances/${allianceId}`;
    const { cost, performance } = summary;
    return page(
      `${periodId} summary`,
      html`<h1>${periodId} ${status(summary.status)}</h1>
      <p><a href="/alliances/${allianceId}/periods/${periodId}/summary">JSON</a> · <a href="/alliances/${allianceId}/periods/${periodId}/summary?explain=true">with explanation</a>
      ${summary.status === 'certified' ? html` · <a href="/alliances/${allianceId}/periods/${periodId}/certificate">certificate check</a>` : ''}</p>
      <h2>Cost (cumulative, completed schemes)</h2>
      <div class="grid">${card('Target T', pounds(cost.target))}${card('Outturn A', pounds(cost.outturn))}${card('T − A', pounds(cost.variance))}${card('R = A / T', html`${cost.ratio ?? '—'}`)}
      ${card('Partners’ share C(p)', html`${pounds(cost.partnersShare)}${cost.capApplied ? html` <span class="badge warn">${cost.capApplied} cap</span>` : ''}`)}${card('Owner’s share', pounds(cost.ownerShare))}
      ${card('C(p−1)', pounds(cost.previousPartnersShare))}${card('This period C(p) − C(p−1)', pounds(cost.partnersShareThisPeriod))}</div>
      <h2>Performance</h2>
      <div class="grid">${card('Score S', html`${performance.score ?? '—'}`)}${card('Amount', pounds(performance.amount))}${card('Gate', html`${performance.gated ? html`<span class="badge warn">gated</span>` : 'clear'}`)}
      ${card('Missing KPIs', html`${performance.missingKpis.length ? performance.missingKpis.join(', ') : 'none'}`)}</div>
      <table><tr><th>KPI</th><th class="num">Value</th><th class="num">Score</th><th class="num">Weight</th><th>Gate</th></tr>
      ${performance.kpis.map((kpi) => html`<tr><td>${kpi.name} <span class="muted">${kpi.kpiId} (${kpi.unit})</span></td><td class="num">${kpi.value ?? '—'}</td><td class="num">${kpi.score ?? '—'}</td><td class="num">${kpi.weight}</td><td>${kpi.gate ? 'gate' : ''}</td></tr>`)}</table>
      <h2>Partners</h2>
      <table><tr><th>Partner</th><th class="num">Cost share this period</th><th class="num">Performance</th><th class="num">Total</th></tr>
      ${summary.partners.map((line) => html`<tr><td><a href="${base}/periods/${periodId}/partners/${line.partnerId}">${line.partnerId}</a></td><td class="num">${pounds(line.costShare)}</td><td class="num">${pounds(line.performance)}</td><td class="num">${pounds(line.total)}</td></tr>`)}</table>
      <h2>Why these figures</h2>${explanation(summary.explanation?.figures ?? [])}`,
      [
        [base, allianceId],
        [`${base}/periods/${periodId}`, periodId],
      ],
    );
  }

  @Allow('read-statement', { partnerParam: 'partnerId' })
  @Get('ui/alliances/:allianceId/periods/:periodId/partners/:partnerId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async statement(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Param('partnerId') partnerId: string): Promise<string> {
    const statement: Explained<PartnerStatement> = await this.queries.execute(new GetPartnerStatement(allianceId, periodId, partnerId, { explain: true }));
    const base = `/ui/alliances/${allianceId}`;
    return page(
      `${statement.name} · ${periodId}`,
      html`<h1>${statement.name} · ${periodId} ${status(statement.status)}</h1>
      <p>${statement.role} · allocation share ${statement.allocationShare} · <a href="/alliances/${allianceId}/periods/${periodId}/statements/${partnerId}?explain=true">JSON</a></p>
      <div class="grid">${card('Cost share this period', pounds(statement.costShare))}${card('Performance', pounds(statement.performance))}${card('Total', pounds(statement.total))}</div>
      <h2>How the cost share is worked out</h2>
      <table>
      <tr><td>Partners’ cumulative share C(p)</td><td class="num">${pounds(statement.alliance.partnersShare)}</td><td>your part</td><td class="num">${pounds(statement.cumulative.costShare)}</td></tr>
      <tr><td>Partners’ share to the previous period C(p−1)</td><td class="num">${pounds(statement.alliance.previousPartnersShare)}</td><td>your part</td><td class="num">${pounds(statement.cumulative.previousCostShare)}</td></tr>
      <tr><td>This period</td><td class="num">${pounds(statement.alliance.partnersShareThisPeriod)}</td><td>your part</td><td class="num">${pounds(statement.costShare)}</td></tr>
      <tr><td>Performance amount ${statement.alliance.gated ? html`<span class="badge warn">gated</span>` : ''}</td><td class="num">${pounds(statement.alliance.performanceAmount)}</td><td>your part</td><td class="num">${pounds(statement.performance)}</td></tr>
      </table>
      <p class="muted">Each alliance amount is split by allocation share, to the penny: quotas are truncated and the pennies left over go to the largest remainders.</p>
      <h2>The events behind each figure</h2>${explanation(statement.explanation?.figures ?? [])}`,
      [
        [base, allianceId],
        [`${base}/periods/${periodId}`, periodId],
        [`${base}/periods/${periodId}/partners/${partnerId}`, partnerId],
      ],
    );
  }

  @Allow('read')
  @Get('ui/alliances/:allianceId/events')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async events(@Param('allianceId') allianceId: string, @Query('after') after?: string): Promise<string> {
    const history: EventPage = await this.queries.execute(new ReadAllianceEvents(allianceId, { after: parseAfter(after), limit: 200 }));
    const base = `/ui/alliances/${allianceId}`;
    return page(
      `${allianceId} events`,
      html`<h1>Event history</h1>
      <table><tr><th>Position</th><th>Recorded</th><th>By</th><th>Stream</th><th>Event</th><th>Data</th></tr>
      ${history.events.map((event) => {
        const metadata = event.metadata as { recordedAt?: string; actor?: string };
        return html`<tr><td class="num">${event.position}</td><td>${metadata.recordedAt ?? event.created}</td><td>${metadata.actor ?? ''}</td><td><code>${event.streamName}</code> #${event.revision}</td><td>${event.type}</td><td><code>${JSON.stringify(event.data).slice(0, 240)}</code></td></tr>`;
      })}</table>
      ${history.next ? html`<p><a href="${base}/events?after=${history.next}">Next page</a></p>` : ''}`,
      [
        [base, allianceId],
        [`${base}/events`, 'events'],
      ],
    );
  }
}

function status(value: string): Html {
  return html`<span class="badge ${value}">${value}</span>`;
}

function card(label: string, value: Html): Html {
  return html`<div class="card"><div class="label">${label}</div><div class="value">${value}</div></div>`;
}

function explanation(figures: FigureExplanation[]): Html {
  return html`${figures.map(
    (figure) => html`<details><summary><strong>${figure.figure}</strong> ${figure.value === null ? '' : html`= ${String(figure.value)}`} · ${figure.events.length} event(s) · <span class="muted">${figure.rule}</span></summary>
    <table><tr><th>Position</th><th>Event</th><th>Stream</th><th>Recorded</th><th>By</th><th>Effect</th></tr>
    ${figure.events.slice(0, 500).map((event) => html`<tr><td class="num">${event.position}</td><td>${event.type}</td><td><code>${event.streamName}</code> #${event.revision}</td><td>${event.recordedAt ?? ''}</td><td>${event.actor ?? ''}</td><td><code>${JSON.stringify(event.effect)}</code></td></tr>`)}
    </table>${figure.events.length > 500 ? html`<p class="muted">First 500 of ${figure.events.length}; the JSON explanation lists them all.</p>` : ''}</details>`,
  )}`;
}
