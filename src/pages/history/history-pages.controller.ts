import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Allow, AuthenticatedRequest } from '../../access/route-access';
import { EventPage, ReadAllianceEvents } from '../../audit/audit.queries';
import { EventSearchQuery, needsScan, parseEventSearch } from '../../audit/event-search';
import { EVENT_TYPES } from './event-types';
import { hiddenFields, html, page, pageInstant, table } from '../layout/page';
import { Viewers } from '../layout/viewer';
import { EVENT_COLUMNS, eventRows } from './event-text';

const FILTERS = ['type', 'scheme', 'period', 'actor', 'from', 'to', 'q', 'limit'] as const;

type Filter = (typeof FILTERS)[number];

/** The event history newest first, filtered and paged both ways, each event readable; exports of the same view. */
@ApiExcludeController()
@Controller('ui/alliances/:allianceId')
export class HistoryPagesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly viewers: Viewers,
  ) {}

  @Allow('read')
  @Get('events')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async events(@Param('allianceId') allianceId: string, @Req() request: AuthenticatedRequest, @Query() query: EventSearchQuery): Promise<string> {
    const viewer = await this.viewers.of(request, allianceId);
    const search = pageSearch(query);
    const parsed = parseEventSearch(search, { order: 'newest', limit: 50, maxLimit: 500 });
    const history: EventPage = await this.queries.execute(new ReadAllianceEvents(allianceId, parsed));
    const base = `/ui/alliances/${allianceId}`;
    const filters = Object.fromEntries(FILTERS.map((key): [Filter, string | undefined] => [key, search[key] || undefined]));
    const asAt = parsed.asAt?.toISOString();
    const kept = new URLSearchParams(Object.entries({ ...filters, asAt }).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const link = (extra: Record<string, string>) => `${base}/events?${new URLSearchParams({ ...Object.fromEntries(kept), ...extra }).toString()}`;
    const exportLink = (format: string) => `${base}/exports/events.${format}?${new URLSearchParams([...kept].filter(([key]) => key !== 'limit')).toString()}`;
    return page(
      `${allianceId} events`,
      html`<h1>Event history <span class="muted">newest first</span></h1>
      <form method="get" class="filters no-print" aria-label="Filter the events">
        ${hiddenFields({ asAt })}
        <label for="f-type">Type <select id="f-type" name="type"><option value="">any</option>${EVENT_TYPES.map((type) => html`<option${search.type === type ? html` selected` : ''}>${type}</option>`)}</select></label>
        <label for="f-scheme">Scheme <input id="f-scheme" name="scheme" value="${search.scheme ?? ''}" size="10"></label>
        <label for="f-period">Period <input id="f-period" name="period" value="${search.period ?? ''}" size="10"></label>
        <label for="f-actor">Recorded by <input id="f-actor" name="actor" value="${search.actor ?? ''}" size="18"></label>
        <label for="f-from">From (UTC) <input type="datetime-local" step="1" id="f-from" name="from" value="${(search.from ?? '').slice(0, 19)}"></label>
        <label for="f-to">To (UTC) <input type="datetime-local" step="1" id="f-to" name="to" value="${(search.to ?? '').slice(0, 19)}"></label>
        <label for="f-q">Id <input id="f-q" name="q" value="${search.q ?? ''}" size="14" placeholder="event, command, cost line…"></label>
        <button type="submit">Filter</button> <a href="${base}/events${asAt ? `?asAt=${encodeURIComponent(asAt)}` : ''}">clear</a>
      </form>
      <p class="downloads">Download this view: <a href="${exportLink('csv')}">CSV</a> <a href="${exportLink('xlsx')}">XLSX</a></p>
      ${pager(history, link)}
      ${history.events.length === 0 ? html`<p class="muted">No event matches.</p>` : table(EVENT_COLUMNS, eventRows(history.events), { caption: `${history.events.length} event(s)${needsScan(parsed) ? `, ${history.scanned} read to find them` : ''}` })}
      ${pager(history, link)}`,
      [
        [base, allianceId],
        [`${base}/events`, 'events'],
      ],
      viewer,
      { asAt: { value: parsed.asAt, keep: filters, shows: 'The history as it stood at {at}: only the events recorded by then, newest first.' } },
    );
  }
}

/** The form's instants have no zone: read as UTC, as the labels say. */
export function pageSearch(query: EventSearchQuery): EventSearchQuery {
  return { ...query, from: pageInstant(query.from), to: pageInstant(query.to), asAt: pageInstant(query.asAt) };
}

function pager(history: EventPage, link: (extra: Record<string, string>) => string) {
  return html`<nav class="pager" aria-label="Pages">${history.newer ? html`<a href="${link({ after: history.newer })}">← Newer</a>` : ''}${history.older ? html`<a href="${link({ before: history.older })}">Older →</a>` : ''}</nav>`;
}
