import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Allow, AuthenticatedRequest } from '../../access/route-access';
import { CertificateReport, CheckPeriodCertificate, EventPage, ReadAllianceEvents } from '../../audit/audit.queries';
import { parseAfter, parseAsAt } from '../../http/query-params';
import { SignOffRow } from '../../read-models/entities';
import { invalid, isDomainError } from '../../shared/domain-error';
import { PeriodSummary } from '../../settlement/domain/summary.types';
import { GetPeriodSummary } from '../../settlement/queries/settlement.queries';
import { GetSignOffs } from '../../statements/sign-off.queries';
import { eventRows, EVENT_COLUMNS } from '../history/event-text';
import { pounds } from '../layout/html';
import { asAtQuery, card, Html, html, page, pageInstant, status, table } from '../layout/page';
import { Viewer, Viewers } from '../layout/viewer';
import { signOffCell } from '../statements/statement-pages.controller';

/** A period: its figures, closing it (with the figures to approve), its certificate checked, and what changed. */
@ApiExcludeController()
@Controller('ui/alliances/:allianceId')
export class PeriodPagesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly viewers: Viewers,
  ) {}

  @Allow('read')
  @Get('periods/:periodId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async period(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Req() request: AuthenticatedRequest, @Query('asAt') asAtText?: string): Promise<string> {
    const asAt = parseAsAt(pageInstant(asAtText));
    const viewer = await this.viewers.of(request, allianceId);
    const summary: PeriodSummary = await this.queries.execute(new GetPeriodSummary(allianceId, periodId, { asAt }));
    const signOffs: SignOffRow[] = await this.queries.execute(new GetSignOffs(allianceId, periodId, asAt));
    const base = `/ui/alliances/${allianceId}`;
    const path = `${base}/periods/${periodId}`;
    const at = asAtQuery(asAt);
    return page(
      `${periodId} summary`,
      html`<h1>${periodId} ${status(summary.status)}</h1>
      <p><a href="/alliances/${allianceId}/periods/${periodId}/summary${at}">JSON</a>${summary.status === 'certified' ? html` · <a href="${path}/certificate${at}">check the certificate</a>` : ''} · <a href="${base}/events?period=${encodeURIComponent(periodId)}${asAtQuery(asAt, '&')}">its events</a> · <a href="${base}/changes?period=${encodeURIComponent(periodId)}${asAt ? `&to=${encodeURIComponent(asAt.toISOString())}` : ''}">what changed</a></p>
      ${asAt ? '' : closeActions(viewer, summary, path)}
      ${figures(summary)}
      <h2>Partners</h2>
      ${table(
        ['Partner', { label: 'Cost share this period', num: true }, { label: 'Performance', num: true }, { label: 'Total', num: true }, 'Sign-off'],
        summary.partners.map((line) => [
          viewer.may('read-statement', line.partnerId) ? html`<a href="${path}/partners/${line.partnerId}${at}">${line.partnerId}</a>` : html`${line.partnerId}`,
          pounds(line.costShare),
          pounds(line.performance),
          pounds(line.total),
          signOffCell(signOffs.find((row) => row.partnerId === line.partnerId), summary.status),
        ]),
      )}`,
      [
        [base, allianceId],
        [path, periodId],
      ],
      viewer,
      { asAt: { value: asAt } },
    );
  }

  @Allow('read')
  @Get('periods/:periodId/certificate')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async certificate(@Param('allianceId') allianceId: string, @Param('periodId') periodId: string, @Req() request: AuthenticatedRequest, @Query('asAt') asAtText?: string): Promise<string> {
    const asAt = parseAsAt(pageInstant(asAtText));
    const viewer = await this.viewers.of(request, allianceId);
    const base = `/ui/alliances/${allianceId}`;
    const crumbs: Array<[string, string]> = [
      [base, allianceId],
      [`${base}/periods/${periodId}${asAtQuery(asAt)}`, periodId],
    ];
    const options = { asAt: { value: asAt, shows: 'The certificate as it stood at {at}: recorded by then, checked against its events.' } };
    const report: CertificateReport | null = await this.queries.execute(new CheckPeriodCertificate(allianceId, periodId, asAt)).catch((error: unknown) => {
      if (isDomainError(error) && error.code === 'period_not_certified') return null;
      throw error;
    });
    if (!report) {
      return page(
        `${periodId} certificate`,
        html`<h1>${periodId} certificate <span class="badge warn">${asAt ? 'not certified then' : 'not certified yet'}</span></h1>
        <p>${asAt ? html`By ${asAt.toISOString()} the period had not been closed, so there was no certificate to check.` : 'The period has not been closed: a certificate is recorded when it is.'} <a href="${base}/periods/${periodId}${asAtQuery(asAt)}">The period’s figures${asAt ? ' then' : ''}</a>.</p>`,
        crumbs,
        viewer,
        options,
      );
    }
    const { certificate } = report;
    const ok = report.digestMatches && report.figuresMatch;
    return page(
      `${periodId} certificate`,
      html`<h1>${periodId} certificate ${html`<span class="badge ${ok ? 'ok' : 'failed'}">${ok ? 'checked: it matches its events' : 'does not match'}</span>`}</h1>
      <div class="grid">${card('Certified at', html`${certificate.certifiedAt}`)}${card('Proposed by', html`${certificate.proposedBy ?? '—'}`)}${card('Approved by', html`${certificate.approvedBy ?? '—'}`)}${card('Input events', html`${certificate.inputs.eventCount}`)}</div>
      <p>Digest <code>${certificate.inputs.digest}</code>, over the events up to position ${certificate.inputs.upToPosition ?? '—'}.</p>
      <h2>The check, recomputed from the events</h2>
      ${table(
        ['', 'Recorded', 'Recomputed', ''],
        [
          [html`Digest`, html`<code>${report.recorded.digest}</code>`, html`<code>${report.recomputed.digest}</code>`, status(report.digestMatches ? 'ok' : 'failed')],
          [html`Input events`, html`${report.recorded.eventCount}`, html`${report.recomputed.eventCount}`, html``],
          [html`Figures`, html`certified`, html`recomputed`, status(report.figuresMatch ? 'ok' : 'failed')],
        ],
      )}`,
      crumbs,
      viewer,
      options,
    );
  }

  @Allow('read')
  @Get('changes')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async changes(@Param('allianceId') allianceId: string, @Req() request: AuthenticatedRequest, @Query() query: { period?: string; from?: string; to?: string; asAt?: string; after?: string }): Promise<string> {
    const viewer = await this.viewers.of(request, allianceId);
    const base = `/ui/alliances/${allianceId}`;
    const from = parseAsAt(pageInstant(query.from), 'from');
    // Its own two instants stand for the one picker of the other pages: an `asAt` brought here is the later one.
    const to = parseAsAt(pageInstant(query.to || query.asAt), query.to ? 'to' : 'asAt');
    const form = html`<form method="get" class="filters no-print" aria-label="Compare two dates">
      <label for="period">Period <input id="period" name="period" value="${query.period ?? ''}" required></label>
      <label for="from">From (UTC) <input type="datetime-local" step="1" id="from" name="from" value="${from?.toISOString().slice(0, 19) ?? ''}" required></label>
      <label for="to">To (UTC) <input type="datetime-local" step="1" id="to" name="to" value="${to?.toISOString().slice(0, 19) ?? ''}"></label>
      <button type="submit">Compare</button></form>`;
    let body: Html = html`<p class="muted">Choose a period and two instants: the figures as they stood at each, side by side, and the events recorded in between.</p>`;
    if (query.period && from) {
      if (to && to <= from) throw invalid('to', 'must be after from');
      const before: PeriodSummary | null = await this.queries.execute(new GetPeriodSummary(allianceId, query.period, { asAt: from })).catch(() => null);
      const after: PeriodSummary = await this.queries.execute(new GetPeriodSummary(allianceId, query.period, { asAt: to }));
      // In between is after the first instant and up to the second, as the figures at each count them (asAt includes its instant).
      // Left blank, the second is when this page was shown: the next pages and the CSV keep it, so
      // what is recorded meanwhile does not slide into them.
      const upTo = to ?? new Date();
      const between = { from: new Date(from.getTime() + 1), asAt: upTo };
      const cursor = parseAfter(query.after);
      const history: EventPage = await this.queries.execute(new ReadAllianceEvents(allianceId, { limit: CHANGES_PAGE, order: 'oldest', ...between, after: cursor }));
      const pages = { path: `${base}/changes`, instants: { period: query.period, from: from.toISOString(), to: upTo.toISOString() }, paged: cursor !== undefined };
      const csvOfAll = `${base}/exports/events.csv?${queryOf({ from: between.from.toISOString(), asAt: upTo.toISOString() })}`;
      const line = (label: string, pick: (summary: PeriodSummary) => string | null, money = true) => {
        const [a, b] = [before ? pick(before) : null, pick(after)];
        return [html`${label}`, money ? pounds(a) : html`${a ?? '—'}`, money ? pounds(b) : html`${b ?? '—'}`, html`${a === b ? '' : html`<span class="badge warn">changed</span>`}`];
      };
      body = html`${table(
        ['Figure', { label: `At ${from.toISOString()}`, num: true }, { label: to ? `At ${to.toISOString()}` : 'Now', num: true }, ''],
        [
          [html`Status`, html`${before?.status ?? 'not open'}`, html`${after.status}`, before?.status === after.status ? html`` : html`<span class="badge warn">changed</span>`],
          line('Target T', (s) => s.cost.target),
          line('Outturn A', (s) => s.cost.outturn),
          line('R', (s) => s.cost.ratio, false),
          line('Partners’ share C(p)', (s) => s.cost.partnersShare),
          line('This period', (s) => s.cost.partnersShareThisPeriod),
          line('Score S', (s) => s.performance.score, false),
          line('Performance', (s) => s.performance.amount),
          ...after.partners.map((partner) => line(`${partner.partnerId} total`, (s) => s.partners.find((p) => p.partnerId === partner.partnerId)?.total ?? null)),
        ],
        { caption: `${query.period}, side by side` },
      )}
      <h2>Events recorded in between</h2>
      <p class="muted">Every event of the alliance recorded between the two instants, whichever period or scheme it is about; the table above shows which of this period’s figures moved.</p>
      ${changesPager(history, pages, csvOfAll)}
      ${table(EVENT_COLUMNS, eventRows(history.events))}
      ${history.next ? changesPager(history, pages) : ''}`;
    }
    return page('What changed', html`<h1>What changed between two dates</h1>${form}${body}`, [[base, allianceId], [`${base}/changes`, 'changes']], viewer);
  }
}

/** The events in between are listed a page at a time, oldest first. */
const CHANGES_PAGE = 500;

/**
 * Says how many events this page lists and whether more follow, with the way to the next page (the
 * same two instants, after the last event shown) and back to the first, and a CSV of them all.
 */
function changesPager(history: EventPage, pages: { path: string; instants: Record<string, string | undefined>; paged: boolean }, csvOfAll?: string): Html {
  const link = (after?: string) => `${pages.path}?${queryOf({ ...pages.instants, after })}`;
  const count = history.events.length;
  const said = history.next
    ? html`<strong>${count} event(s)${pages.paged ? ' after the previous page' : ''}, and more follow</strong>: they are listed ${CHANGES_PAGE} at a time, oldest first.`
    : html`${count} event(s)${pages.paged ? ' after the previous page, the last of them' : ''}.`;
  return html`<p>${said}${csvOfAll ? html` <span class="downloads"><a href="${csvOfAll}">Download every event in between as CSV</a>.</span>` : ''}</p>
  ${pages.paged || history.next ? html`<nav class="pager" aria-label="Pages of events">${pages.paged ? html`<a href="${link()}">← First ${CHANGES_PAGE}</a>` : ''}${history.next ? html`<a href="${link(history.next)}">Next ${CHANGES_PAGE} →</a>` : ''}</nav>` : ''}`;
}

function queryOf(values: Record<string, string | undefined>): string {
  return new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
}

function figures(summary: PeriodSummary): Html {
  const { cost, performance } = summary;
  return html`<h2>Cost (cumulative, completed schemes)</h2>
  <div class="grid">${card('Target T', pounds(cost.target))}${card('Outturn A', pounds(cost.outturn))}${card('T − A', pounds(cost.variance))}${card('R = A / T', html`${cost.ratio ?? '—'}`)}
  ${card('Partners’ share C(p)', html`${pounds(cost.partnersShare)}${cost.capApplied ? html` <span class="badge warn">${cost.capApplied} cap</span>` : ''}`)}${card('Owner’s share', pounds(cost.ownerShare))}
  ${card('C(p−1)', pounds(cost.previousPartnersShare))}${card('This period C(p) − C(p−1)', pounds(cost.partnersShareThisPeriod))}</div>
  <h2>Performance</h2>
  <div class="grid">${card('Score S', html`${performance.score ?? '—'}`)}${card('Amount', pounds(performance.amount))}${card('Gate', html`${performance.gated ? html`<span class="badge warn">gated</span>` : 'clear'}`)}
  ${card('Missing KPIs', html`${performance.missingKpis.length ? performance.missingKpis.join(', ') : 'none'}`)}</div>
  ${table(
    ['KPI', { label: 'Value', num: true }, { label: 'Score', num: true }, { label: 'Weight', num: true }, 'Gate'],
    performance.kpis.map((kpi) => [html`${kpi.name} <span class="muted">${kpi.kpiId} (${kpi.unit})</span>`, html`${kpi.value ?? '—'}`, html`${kpi.score ?? '—'}`, html`${kpi.weight}`, html`${kpi.gate ? 'gate' : ''}`]),
  )}`;
}

/** Propose, approve or reject closing the period, with the figures being approved in view. */
function closeActions(viewer: Viewer, summary: PeriodSummary, path: string): Html {
  if (summary.status !== 'provisional') return html``;
  const proposal = summary.closeProposal;
  const missing = summary.performance.missingKpis;
  // Closing is refused while a KPI has no value: say so where the button would be, rather than after a click.
  const blocked = missing.length ? html`<p>The period cannot be closed until every KPI has a value: none yet for <strong>${missing.join(', ')}</strong>.</p>` : '';
  const propose = viewer.may('ProposePeriodClose') ? (blocked ? blocked : viewer.form(`${path}/close-proposal`, proposal ? 'Propose again with these figures' : 'Propose closing the period')) : '';
  const decide =
    proposal && viewer.may('ApprovePeriodClose')
      ? html`${viewer.form(`${path}/close-proposal/approval`, 'Approve and certify')}${viewer.form(`${path}/close-proposal/rejection`, 'Reject', html`<label class="muted" for="reject-reason">Reason</label> <input type="text" id="reject-reason" name="reason" required maxlength="2000" placeholder="Why (kept in the history)"> `)}`
      : '';
  const pending = proposal
    ? html`<p>Close proposed by <strong>${proposal.proposedBy}</strong> at ${proposal.proposedAt} <span class="muted">digest ${proposal.digest.slice(0, 16)}…</span>; awaiting a second person’s approval. Approving certifies the figures below: C(p) ${pounds(summary.cost.partnersShare)}, this period ${pounds(summary.cost.partnersShareThisPeriod)}, performance ${pounds(summary.performance.amount)}.</p>`
    : '';
  if (!pending && !propose) return html``;
  return html`<div class="actions">${pending}${propose}${decide}</div>`;
}
