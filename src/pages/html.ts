/** HTML with every interpolated value escaped, unless it is already Html. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, part, index) => out + part + (index < values.length ? render(values[index]) : ''), ''));
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Money as the ledger writes it ("-1234567.80"), shown with thousands separators and kept exact. */
export function pounds(text: string | null | undefined): Html {
  if (text === null || text === undefined) return html`<span class="muted">—</span>`;
  const negative = text.startsWith('-');
  const [whole, pence = '00'] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return html`<span class="money ${negative ? 'negative' : ''}">${negative ? '−' : ''}£${grouped}.${pence}</span>`;
}

export function page(title: string, body: Html, crumbs: Array<[string, string]> = [], viewer?: { bar(): Html }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Alliance Ledger</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
  header { background: #13315c; color: #fff; padding: 12px 24px; }
  header a { color: #fff; text-decoration: none; font-weight: 600; }
  nav.crumbs { font-size: 13px; opacity: .85; margin-top: 4px; }
  nav.crumbs a { font-weight: 400; }
  main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
  h1 { font-size: 22px; margin: 12px 0; } h2 { font-size: 17px; margin: 28px 0 8px; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { padding: 6px 10px; border-bottom: 1px solid #e3e6eb; text-align: left; vertical-align: top; }
  th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: #5a6577; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .money.negative { color: #a4161a; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #e3e6eb; }
  .badge.certified { background: #d8f3dc; color: #1b4332; } .badge.provisional { background: #fff3bf; color: #6b4f00; }
  .badge.warn { background: #ffe3e3; color: #a4161a; }
  .badge.acknowledged { background: #d8f3dc; color: #1b4332; } .badge.disputed { background: #ffe3e3; color: #a4161a; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; }
  .card { background: #fff; border: 1px solid #e3e6eb; border-radius: 6px; padding: 12px 14px; }
  .card .label { font-size: 12px; color: #5a6577; text-transform: uppercase; } .card .value { font-size: 20px; margin-top: 2px; }
  .muted { color: #8a94a6; } code { font-size: 12px; }
  details { background: #fff; border: 1px solid #e3e6eb; border-radius: 6px; padding: 8px 12px; margin: 6px 0; }
  summary { cursor: pointer; }
  .viewer { float: right; font-size: 13px; } .viewer .muted { color: #c9d3e3; }
  form.inline { display: inline; margin: 0 8px 0 0; } form.inline input[type=text] { width: 260px; }
  button { font: inherit; padding: 3px 10px; border-radius: 4px; border: 1px solid #13315c; background: #13315c; color: #fff; cursor: pointer; }
  button.link { background: none; border: none; color: #fff; text-decoration: underline; padding: 0; }
  .actions { background: #fff; border: 1px solid #e3e6eb; border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
</style>
</head>
<body>
<header><a href="/">Alliance Ledger</a>${viewer ? viewer.bar() : ''}
<nav class="crumbs">${crumbs.map(([href, label], index) => html`${index > 0 ? ' › ' : ''}<a href="${href}">${label}</a>`)}</nav></header>
<main>${body}</main>
</body>
</html>`.text;
}
