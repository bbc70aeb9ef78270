import { Html, html } from './html';

export { html, Html } from './html';

export interface PageOptions {
  /**
   * The page can be seen as it stood at an instant: show the "as at" picker, and when an instant
   * is shown say so (`shows`: what the page then holds). `keep`: the page's other query
   * parameters, carried by the picker and by the way back to now.
   */
  asAt?: { value: Date | undefined; keep?: Record<string, string | undefined>; shows?: string };
  /**
   * The page shows the present only. When it is asked for an instant (`asked`, the raw `asAt`),
   * it says so and why, rather than showing the present as if it were then.
   */
  presentOnly?: { asked: string | undefined; why: string };
  /** Load the charting library and our glue, which draws each chart from the table beside it. */
  charts?: boolean;
}

/** The frame of every page: our own stylesheet and scripts only (the CSP allows nothing else). */
export function page(title: string, body: Html, crumbs: Array<[string, string]> = [], viewer?: { bar(): Html }, options: PageOptions = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Alliance Ledger</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/ledger.css">
${options.charts ? html`<script src="/assets/chart.umd.min.js" defer></script><script src="/assets/charts.js" defer></script>` : ''}
</head>
<body>
<header><a href="/" class="brand">Alliance Ledger</a>${viewer ? viewer.bar() : ''}
<nav class="crumbs" aria-label="Breadcrumbs">${crumbs.map(([href, label], index) => html`${index > 0 ? ' › ' : ''}<a href="${href}">${label}</a>`)}</nav></header>
<main>${options.asAt ? asAtPicker(options.asAt.value, options.asAt.keep ?? {}) : ''}${options.asAt?.value ? asAtBanner(options.asAt.value, options.asAt.keep ?? {}, options.asAt.shows) : ''}${options.presentOnly?.asked ? presentOnlyNote(options.presentOnly.asked, options.presentOnly.why) : ''}${body}</main>
</body>
</html>`.text;
}

/** A GET form: the same page as it stood at an instant (UTC). */
function asAtPicker(value: Date | undefined, keep: Record<string, string | undefined>): Html {
  const shown = value ? value.toISOString().slice(0, 19) : '';
  return html`<form method="get" class="asat no-print" aria-label="See this page as it stood at a date">
  ${hiddenFields(keep)}
  <label for="asAt">As at (UTC)</label> <input type="datetime-local" id="asAt" name="asAt" value="${shown}" step="1"> <button type="submit">Show</button>
  </form>`;
}

function asAtBanner(value: Date, keep: Record<string, string | undefined>, shows = 'Figures as they stood at {at}, recomputed from the events recorded by then.'): Html {
  const [before, after = ''] = shows.split('{at}');
  return html`<p class="asat-banner" role="status">${before}<strong>${value.toISOString()}</strong>${after} <a href="?${query(keep)}">Back to now</a></p>`;
}

function presentOnlyNote(asked: string, why: string): Html {
  return html`<p class="asat-banner" role="status">This page shows the present only, not as at ${asked}: ${why}</p>`;
}

/** The hidden inputs of a GET form that carries the page's other parameters. */
export function hiddenFields(keep: Record<string, string | undefined>): Html {
  return html`${Object.entries(keep).map(([name, kept]) => (kept ? html`<input type="hidden" name="${name}" value="${kept}">` : ''))}`;
}

function query(keep: Record<string, string | undefined>): string {
  return new URLSearchParams(Object.entries(keep).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
}

/** The picker sends `2026-04-01T00:00` (no zone): the pages read it as UTC, as they say. */
export function pageInstant(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || !text.includes('T') ? text : `${text}Z`;
}

export interface Column {
  label: string;
  num?: boolean;
}

/**
 * A table that fits a phone: on a narrow screen each row becomes a block of "label value" lines
 * (CSS, `data-label`), so nothing scrolls sideways. Cells may carry `data-value` for the charts.
 */
export function table(
  columns: Array<Column | string>,
  rows: Html[][],
  options: {
    id?: string;
    caption?: string | Html;
    foot?: Html[][];
    className?: string;
    /** A table too wide for a desktop page scrolls sideways in its own box, reachable from the keyboard (this names the box). */
    scrolls?: string;
  } = {},
): Html {
  const cols = columns.map((column) => (typeof column === 'string' ? { label: column } : column));
  const row = (cells: Html[], tag: 'td' | 'th' = 'td') =>
    html`<tr>${cells.map((cell, index) => html`<${new Html(tag)} data-label="${cols[index]?.label ?? ''}"${new Html(cols[index]?.num ? ' class="num"' : '')}>${cell}</${new Html(tag)}>`)}</tr>`;
  const box = options.scrolls ? html` tabindex="0" role="region" aria-label="${options.scrolls}"` : '';
  return html`<div class="table${options.scrolls ? ' scrolls' : ''}"${box}><table class="stack ${options.className ?? ''}"${options.id ? html` id="${options.id}"` : ''}>
  ${options.caption ? html`<caption>${options.caption}</caption>` : ''}
  <thead><tr>${cols.map((column) => html`<th scope="col"${new Html(column.num ? ' class="num"' : '')}>${column.label}</th>`)}</tr></thead>
  <tbody>${rows.map((cells) => row(cells))}</tbody>
  ${options.foot?.length ? html`<tfoot>${options.foot.map((cells) => row(cells))}</tfoot>` : ''}
  </table></div>`;
}

/** Colours that mean something: a series that is good, middling or bad whichever way its numbers run. */
export const TONE = { good: '#2d6a4f', middling: '#b7791f', bad: '#a4161a' } as const;

/**
 * A chart drawn by Chart.js from the table beside it (`series`: the table's column numbers).
 * `colours` pins a column's colour (a threshold's TONE); the others take the chart glue's palette in turn.
 */
export function chart(tableId: string, kind: 'line' | 'bar', series: number[], label: string, options: { dashed?: number[]; stepped?: boolean; colours?: Record<number, string> } = {}): Html {
  const colours = series.map((column) => options.colours?.[column] ?? '').join(',');
  return html`<div class="chart"><canvas data-chart="${kind}" data-table="${tableId}" data-series="${series.join(',')}" data-dashed="${(options.dashed ?? []).join(',')}"${options.colours ? html` data-colours="${colours}"` : ''} role="img" aria-label="${label} (the table beside it has the figures)"></canvas></div>`;
}

/** A cell holding money: shown formatted, with the exact value for the chart. */
export function moneyCell(text: string | null | undefined, shown: Html): Html {
  return html`<span data-value="${text ?? ''}">${shown}</span>`;
}

export function status(value: string): Html {
  return html`<span class="badge ${value}">${value}</span>`;
}

export function card(label: string, value: Html): Html {
  return html`<div class="card"><div class="label">${label}</div><div class="value">${value}</div></div>`;
}

/** `?asAt=…` for links that keep the instant being looked at. */
export function asAtQuery(asAt: Date | undefined, prefix = '?'): string {
  return asAt ? `${prefix}asAt=${encodeURIComponent(asAt.toISOString())}` : '';
}
