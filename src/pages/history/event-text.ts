import { EventPage } from '../../audit/audit.queries';
import { isMoneyText } from '../../shared/money';
import { Html, html, pounds } from '../layout/html';
import { Column } from '../layout/page';

type ListedEvent = EventPage['events'][number];

/** Money fields of the events (docs/events.md): shown as pounds; everything else as written. */
const MONEY_FIELDS = new Set(['amount', 'disallowedAmount', 'painCap', 'gainCap', 'rewardPoolMax', 'liabilityMax', 'feeAtRisk', 'partnersShare']);

/** What an event says, in a line: "RecordDefinedCost INV-1 on scheme A in 2026-Q2: £1,250,000.00". */
export function describeEvent(event: ListedEvent): Html {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const ids = ['schemeId', 'costId', 'ceId', 'incidentId', 'kpiId', 'partnerId', 'subject', 'role'].filter((key) => typeof data[key] === 'string');
  const scalar = Object.entries(data).filter(([key, value]) => !ids.includes(key) && key !== 'allianceId' && key !== 'periodId' && typeof value !== 'object' && value !== undefined);
  return html`${ids.map((key, index) => html`${index ? ' · ' : ''}${key.replace(/Id$/, '')} <strong>${String(data[key])}</strong>`)}${typeof data.periodId === 'string' ? html` in <strong>${data.periodId}</strong>` : ''}
  ${scalar.length ? html`<br>${scalar.map(([key, value], index) => html`${index ? ', ' : ''}${key} ${MONEY_FIELDS.has(key) && isMoneyText(value) ? pounds(value) : html`<span>${String(value)}</span>`}`)}` : ''}
  ${event.type === 'AllianceFormed' ? html`<br><span class="muted">terms: partners, share bands, caps, pools</span>` : ''}${event.type === 'PeriodClosed' ? html`<br><span class="muted">certificate recorded</span>` : ''}`;
}

export const EVENT_COLUMNS: Column[] = [{ label: 'Recorded' }, { label: 'By' }, { label: 'Event' }, { label: 'What it says' }, { label: 'Position', num: true }];

export function eventRows(events: ListedEvent[]): Html[][] {
  return events.map((event) => {
    const metadata = event.metadata as { recordedAt?: string; actor?: string; commandId?: string };
    const at = metadata.recordedAt ?? event.created;
    return [
      html`<time datetime="${at}">${at.slice(0, 10)} ${at.slice(11, 19)}</time>`,
      html`${metadata.actor ?? ''}`,
      html`<strong>${event.type}</strong><br><span class="muted">${event.streamName.split('.').slice(2).join('.')} #${event.revision}</span>`,
      describeEvent(event),
      html`<span title="event ${event.eventId}${metadata.commandId ? `, command ${metadata.commandId}` : ''}">${event.position}</span>`,
    ];
  });
}
