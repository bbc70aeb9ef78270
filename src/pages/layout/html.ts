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

/** A number as the ledger writes it (exact decimal text), shown with thousands separators, never through a float. */
export function decimal(text: string | null | undefined): Html {
  if (text === null || text === undefined) return html`<span class="muted">—</span>`;
  const negative = text.startsWith('-');
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
  return html`${negative ? '−' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** An instant as people read it (UTC, to the second), with the exact value on hover. */
export function when(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">—</span>`;
  return html`<time datetime="${iso}" title="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 19)}</time>`;
}
