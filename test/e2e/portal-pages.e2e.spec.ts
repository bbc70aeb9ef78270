/// <reference lib="dom" />
import { INestApplication, RequestMethod } from '@nestjs/common';
import { HEADERS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { Browser, Page } from 'playwright-core';
import { Workbook } from 'exceljs';
import { accessibilityViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { csvDownload, readCsv } from '../support/csv-text';
import { fixture, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';
import { signedInPage } from '../support/sign-in';

const SHOTS = process.env.PORTAL_SCREENSHOTS;

/**
 * The rest of the portal in a real browser: every page checked by axe-core at both widths, a
 * scheme's target build-up and cost lines to the penny, the summary exports read back, printing,
 * the "as at" picker and what changed between two instants.
 *
 * The ledger: the worked example, then a scheme C with a reversed compensation event, a part-
 * disallowed and a reversed cost line; `mid` (a whole second, as the picker sends it); then a
 * compensation event on scheme A that moves T, and the period closed.
 */
describe('the portal pages, checked one by one', () => {
  let service: TestApp;
  let browser: Browser;
  const alliance = '/ui/alliances/sma';
  let mid: string;
  let early: string;

  /** The next whole second (the picker's grain), once it has passed: facts recorded after this are after it. */
  async function nextWholeSecond(): Promise<string> {
    const next = Math.floor(Date.now() / 1000) * 1000 + 1000;
    await new Promise((resolve) => setTimeout(resolve, next + 5 - Date.now()));
    return new Date(next).toISOString().slice(0, 19);
  }

  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'sma', fixture('worked-example.ndjson')).expect(200);
    early = await nextWholeSecond();
    const Q1 = { periodId: '2026-Q1' };
    await importNdjson(
      service.http,
      'sma',
      ndjson(
        { command: 'RegisterScheme', data: { schemeId: 'C', name: 'Scheme C' } },
        { command: 'SetTargetBaseline', data: { schemeId: 'C', ...Q1, amount: '50000000.00' } },
        { command: 'ImplementCompensationEvent', data: { schemeId: 'C', ...Q1, ceId: 'CE-C1', amount: '1250000.50', reason: 'Extra lane' } },
        { command: 'ImplementCompensationEvent', data: { schemeId: 'C', ...Q1, ceId: 'CE-C2', amount: '-300000.25', reason: 'Scope removed' } },
        { command: 'ReverseCompensationEvent', data: { schemeId: 'C', ...Q1, ceId: 'CE-C2', reason: 'Raised in error' } },
        { command: 'RecordDefinedCost', data: { schemeId: 'C', ...Q1, costId: 'C-001', amount: '10000000.10', description: 'Earthworks' } },
        { command: 'RecordDefinedCost', data: { schemeId: 'C', ...Q1, costId: 'C-002', amount: '2345678.91' } },
        { command: 'DisallowCost', data: { schemeId: 'C', ...Q1, costId: 'C-002', amount: '45678.91', reason: 'Not defined cost' } },
        { command: 'RecordDefinedCost', data: { schemeId: 'C', ...Q1, costId: 'C-003', amount: '999.99' } },
        { command: 'ReverseDefinedCost', data: { schemeId: 'C', ...Q1, costId: 'C-003', reason: 'Duplicate invoice' } },
      ),
    ).expect(200);
    for (const [subject, role, partnerId] of [['auditor@example', 'auditor'], ['pat@p.example', 'partner', 'P']]) {
      await service.http.post('/alliances/sma/access/grants').send({ subject, role, ...(partnerId ? { partnerId } : {}) }).expect(201);
    }
    // The picker is to the second: `mid` is the next whole second, and the later facts are recorded after it.
    mid = await nextWholeSecond();
    await service.http.put('/alliances/sma/schemes/A/compensation-events/CE-A2').send({ periodId: '2026-Q1', amount: '5000000.00', reason: 'Late instruction' }).expect(201);
    await service.http.post('/alliances/sma/periods/2026-Q1/close').expect(201);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  const signedIn = (subject: string, width = 1400, admin = false): Promise<Page> => signedInPage(browser, service, { subject, admin }, { viewport: { width, height: 900 } });

  const gbp = (value: string) => `${value.startsWith('-') ? '−' : ''}£${value.replace(/^-/, '').replace(/\B(?=(\d{3})+(?!\d)(?=\.))/g, ',')}`;

  it('the accessibility check finds a serious fault when a page has one', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"><button></button></main></html>');
    expect((await accessibilityViolations(page)).map((finding) => finding.id).sort()).toEqual(['button-name', 'image-alt']);
  });

  const PAGES: Array<[string, string, string]> = [
    ['home', 'admin', '/'],
    ['alliance', 'auditor@example', alliance],
    ['alliance-as-at', 'auditor@example', `${alliance}?asAt=MID`],
    ['scheme', 'auditor@example', `${alliance}/schemes/C`],
    ['period', 'auditor@example', `${alliance}/periods/2026-Q1`],
    ['certificate', 'auditor@example', `${alliance}/periods/2026-Q1/certificate`],
    ['history', 'auditor@example', `${alliance}/events?limit=20`],
    ['history-as-at', 'auditor@example', `${alliance}/events?limit=20&asAt=MID`],
    ['certificate-as-at', 'auditor@example', `${alliance}/periods/2026-Q1/certificate?asAt=MID`],
    ['benchmark-as-at', 'auditor@example', `${alliance}/benchmark?asAt=MID`],
    ['changes', 'auditor@example', `${alliance}/changes?period=2026-Q1&from=MID`],
    ['partner-dashboard', 'pat@p.example', `${alliance}/partners/P`],
    ['partner-statement', 'pat@p.example', `${alliance}/periods/2026-Q1/partners/P?explain=true`],
  ];
  for (const width of [1400, 390]) {
    it(`has no serious or critical accessibility fault and nothing wider than the screen on any page at ${width} px`, async () => {
      const found: Record<string, unknown> = {};
      const signedInAs = new Map<string, Page>();
      for (const [name, subject, path] of PAGES) {
        if (!signedInAs.has(subject)) signedInAs.set(subject, await signedIn(subject === 'admin' ? 'admin@example' : subject, width, subject === 'admin'));
        const page = signedInAs.get(subject)!;
        const response = await page.goto(`${service.url}${path.replace('MID', mid)}`);
        expect(response!.status()).toBe(200);
        if (await page.locator('canvas[data-chart]').count()) await page.waitForFunction(() => 'Chart' in window);
        const violations = await accessibilityViolations(page);
        if (violations.length) found[name] = violations;
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (wide > 0) found[`${name} overflow`] = wide;
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
      }
      for (const page of signedInAs.values()) await page.context().close();
      const signIn = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
      await signIn.goto(`${service.url}/auth/sign-in`);
      const violations = await accessibilityViolations(signIn);
      if (violations.length) found['sign-in'] = violations;
      expect(found).toEqual({});
    }, 90_000);
  }

  it('loads its pages without a failed request or a console error, the icon included, and answers /favicon.ico to anyone', async () => {
    const page = await signedIn('auditor@example');
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') failed.push(`console: ${message.text()}`);
    });
    const icons: Array<string | null> = [];
    for (const path of [alliance, `${alliance}/periods/2026-Q1`, '/auth/sign-in']) {
      await page.goto(`${service.url}${path}`);
      icons.push(await page.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute('href') ?? null));
      // The browser asks for the icon on its own time: let the page settle before looking at what failed.
      await page.waitForLoadState('networkidle');
    }
    expect(failed).toEqual([]);
    expect(icons).toEqual(['/assets/favicon.svg', '/assets/favicon.svg', '/assets/favicon.svg']);

    for (const path of ['/favicon.ico', '/assets/favicon.svg']) {
      const anonymous = await fetch(`${service.url}${path}`, { redirect: 'manual' });
      expect([path, anonymous.status, anonymous.headers.get('content-type')]).toEqual([path, 200, 'image/svg+xml']);
      expect(await anonymous.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it('colours the AFR chart’s anchors by what they mean, AFR being lower-is-better: poor red, MCOS amber, outstanding green', async () => {
    const page = await signedIn('pat@p.example');
    await page.goto(`${service.url}${alliance}/partners/P`);
    await page.waitForFunction(() => 'Chart' in window);
    // What the page gives the chart: each series' column, named by the table's header, and the colour pinned to it.
    const given = await page.evaluate(() => {
      const canvas = document.querySelector('canvas[data-table="afr"]')!;
      const headers = Array.from(document.querySelectorAll('table#afr thead th')).map((th) => th.textContent!.trim());
      const colours = (canvas.getAttribute('data-colours') ?? '').split(',');
      return Object.fromEntries(canvas.getAttribute('data-series')!.split(',').map((column, index) => [headers[Number(column)], colours[index] ?? '']));
    });
    const anchors = await page.locator('table#afr tbody tr').first().locator('td').allInnerTexts();
    expect(Number(anchors[2])).toBeGreaterThan(Number(anchors[4])); // poor above outstanding: lower is better
    expect(await page.locator('table#afr caption').innerText()).toContain('lower is better');
    expect({ Poor: tone(given.Poor), MCOS: tone(given.MCOS), Outstanding: tone(given.Outstanding) }).toEqual({ Poor: 'red', MCOS: 'amber', Outstanding: 'green' });
    // The chart drawn uses them.
    const drawn = await page.evaluate(() => {
      const chart = (window as unknown as { Chart: { getChart(c: Element): { data: { datasets: Array<{ label: string; borderColor: string }> } } } }).Chart.getChart(document.querySelector('canvas[data-table="afr"]')!);
      return Object.fromEntries(chart.data.datasets.map((set) => [set.label, set.borderColor]));
    });
    expect([drawn.Poor, drawn.MCOS, drawn.Outstanding]).toEqual([given.Poor, given.MCOS, given.Outstanding]);

    // The caps beside C(p): the pain cap is bad news (red), the gain cap good (green).
    const caps = await page.evaluate(() => (document.querySelector('canvas[data-table="cumulative"]')!.getAttribute('data-colours') ?? '').split(','));
    expect([tone(caps[2]), tone(caps[3])]).toEqual(['red', 'green']);
  });

  it('shows a scheme’s target build-up, compensation events and cost lines with subtotals to the penny', async () => {
    const page = await signedIn('auditor@example');
    await page.goto(`${service.url}${alliance}/schemes/C`);
    const build = page.locator('table:has(caption:text("Baseline and compensation events"))');
    expect(await build.locator('tbody tr').allInnerTexts()).toHaveLength(3);
    expect(await build.locator('tbody tr:has-text("CE-C2")').innerText()).toContain('reversed 2026-Q1');
    expect(await build.locator('tbody tr:has-text("CE-C2") s').innerText()).toBe(gbp('-300000.25'));
    expect(await build.locator('tfoot td').last().innerText()).toBe(gbp('51250000.50'));

    const costs = page.locator('table:has(caption:text("cost line(s)"))');
    const row = (costId: string) => costs.locator(`tbody tr:has-text("${costId}") td.num`).allInnerTexts();
    expect(await row('C-001')).toEqual([gbp('10000000.10'), gbp('0.00'), gbp('10000000.10')]);
    expect(await row('C-002')).toEqual([gbp('2345678.91'), gbp('45678.91'), gbp('2300000.00')]);
    expect(await row('C-003')).toEqual([gbp('999.99'), gbp('0.00'), gbp('0.00')]);
    expect(await costs.locator('tfoot td.num').allInnerTexts()).toEqual([gbp('12346679.00'), gbp('45678.91'), gbp('12300000.10')]);
    expect(await costs.locator('tfoot').innerText()).toContain(`reversed: ${gbp('999.99')}`);
    const byPeriod = page.locator('table:has(caption:text("period by period")) tbody tr');
    expect(await byPeriod.last().locator('td').last().innerText()).toBe(gbp('38950000.40'));
    expect(await page.locator('main').innerText()).toContain(`Variance T − A: ${gbp('38950000.40')}`);

    // As at `mid` scheme A had no CE-A2 yet: its target build-up says so.
    await page.goto(`${service.url}${alliance}/schemes/A`);
    expect(await page.locator('main').innerText()).toContain('CE-A2');
    await page.fill('#asAt', asInputValue(mid));
    await navigate(page, 'form.asat button');
    expect(await page.locator('main').innerText()).not.toContain('CE-A2');
    expect(page.url()).toContain(`asAt=${encodeURIComponent(mid)}`);
  });

  it('exports the period summaries as CSV and XLSX that agree with the API to the penny, now and as at an instant', async () => {
    const headers = await service.headersFor('auditor@example');
    for (const asAt of [undefined, mid]) {
      const query = asAt ? `?asAt=${encodeURIComponent(`${asAt}Z`)}` : '';
      const summary = (await service.http.get(`/alliances/sma/periods/2026-Q1/summary${query}`).expect(200)).body;
      const expected: Record<string, string> = {
        periodId: '2026-Q1',
        status: summary.status,
        target: summary.cost.target,
        outturn: summary.cost.outturn,
        ratio: summary.cost.ratio,
        partnersShare: summary.cost.partnersShare,
        partnersShareThisPeriod: summary.cost.partnersShareThisPeriod,
        score: summary.performance.score,
        performanceAmount: summary.performance.amount,
      };

      const csvResponse = await fetch(`${service.url}${alliance}/exports/summaries.csv${query}`, { headers });
      expect(csvResponse.headers.get('content-type')).toMatch(/^text\/csv/);
      const [head, ...lines] = readCsv(await csvDownload(csvResponse));
      expect(lines).toHaveLength(1);
      const row = Object.fromEntries(head.map((column, index) => [column, lines[0][index]]));
      for (const [column, value] of Object.entries(expected)) expect([column, row[column]]).toEqual([column, value]);

      const book = new Workbook();
      await book.xlsx.load(Buffer.from(await (await fetch(`${service.url}${alliance}/exports/summaries.xlsx${query}`, { headers })).arrayBuffer()) as never);
      const periods = book.getWorksheet('periods')!;
      const columns = (periods.getRow(1).values as string[]).slice(1);
      const cell = (column: string) => periods.getRow(2).getCell(columns.indexOf(column) + 1).value;
      for (const [column, value] of Object.entries(expected)) expect([column, cell(column)]).toEqual([column, value]);
      const partners = book.getWorksheet('partners')!;
      const totals = Object.fromEntries(partners.getRows(2, partners.rowCount - 1)!.map((line) => [line.getCell(2).value, line.getCell(5).value]));
      expect(totals).toEqual(Object.fromEntries(summary.partners.map((line: { partnerId: string; total: string }) => [line.partnerId, line.total])));
      expect(book.getWorksheet('kpis')!.rowCount - 1).toBe(summary.performance.kpis.length);
    }
  });

  it('exports the history as CSV that reads back to the API’s events, every amount to the penny', async () => {
    const headers = await service.headersFor('auditor@example');
    const response = await fetch(`${service.url}${alliance}/exports/events.csv?scheme=C`, { headers });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [head, ...rows] = readCsv(await csvDownload(response));
    expect(head).toEqual(['position', 'recordedAt', 'actor', 'type', 'stream', 'revision', 'eventId', 'commandId', 'data']);
    const api = (await service.http.get('/alliances/sma/events?scheme=C&limit=1000').expect(200)).body.events;
    expect(rows.map((row) => [row[0], row[3], row[6]])).toEqual(api.map((event: { position: string; type: string; eventId: string }) => [event.position, event.type, event.eventId]));
    const amounts = rows.map((row) => (JSON.parse(row[8]) as { amount?: string }).amount).filter(Boolean);
    expect(amounts).toEqual(['50000000.00', '1250000.50', '-300000.25', '-300000.25', '10000000.10', '2345678.91', '45678.91', '999.99', '999.99']);
  });

  it('prints without the navigation, the forms, the pager and the download links', async () => {
    const page = await signedIn('pat@p.example');
    await page.goto(`${service.url}${alliance}/periods/2026-Q1/partners/P`);
    const chrome = ['nav.crumbs', '.viewer', 'form.asat', '.actions form', '.downloads'];
    for (const selector of chrome) expect([selector, await page.locator(selector).first().isVisible()]).toEqual([selector, true]);
    await page.emulateMedia({ media: 'print' });
    for (const selector of chrome) expect([selector, await page.locator(selector).first().isVisible()]).toEqual([selector, false]);
    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await page.locator('main table').first().isVisible()).toBe(true);
    const width = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(width).toBeLessThanOrEqual(0);
    expect((await page.pdf({ format: 'A4' })).subarray(0, 5).toString()).toBe('%PDF-');

    const auditor = await signedIn('auditor@example');
    await auditor.goto(`${service.url}${alliance}/events?limit=5`);
    await auditor.emulateMedia({ media: 'print' });
    for (const selector of ['form.filters', 'nav.pager', '.downloads', 'nav.crumbs']) expect([selector, await auditor.locator(selector).first().isVisible()]).toEqual([selector, false]);
    expect(await auditor.locator('main tbody tr').count()).toBe(5);
  });

  it('shows the period as it stood at the instant picked, and links onward at that instant', async () => {
    const page = await signedIn('auditor@example');
    const now = (await service.http.get('/alliances/sma/periods/2026-Q1/summary').expect(200)).body;
    const then = (await service.http.get(`/alliances/sma/periods/2026-Q1/summary?asAt=${mid}Z`).expect(200)).body;
    expect(then.cost.target).not.toBe(now.cost.target);
    await page.goto(`${service.url}${alliance}/periods/2026-Q1`);
    const cards = async () => (await page.locator('.card').allInnerTexts()).join('\n');
    expect(await cards()).toContain(gbp(now.cost.target));
    expect(await page.locator('h1').innerText()).toContain('certified');
    await page.fill('#asAt', asInputValue(mid));
    await navigate(page, 'form.asat button');
    expect(await page.locator('.asat-banner').innerText()).toContain(`${mid}.000Z`);
    expect(await page.locator('h1').innerText()).toContain('provisional');
    expect(await cards()).toContain(gbp(then.cost.target));
    expect(await cards()).toContain(gbp(then.cost.partnersShare));
    expect(await page.inputValue('#asAt')).toBe(asInputValue(mid));
    const partnerLink = await page.locator('main a[href*="/partners/P"]').first().getAttribute('href');
    expect(partnerLink).toContain(`asAt=${encodeURIComponent(`${mid}.000Z`)}`);
    await navigate(page, '.asat-banner a');
    expect(await page.locator('h1').innerText()).toContain('certified');
  });

  it('compares two instants: the figures side by side and exactly the events recorded in between', async () => {
    const page = await signedIn('auditor@example');
    await page.goto(`${service.url}${alliance}/changes`);
    await page.fill('#period', '2026-Q1');
    await page.fill('#from', asInputValue(mid));
    await navigate(page, 'form.filters button');
    const then = (await service.http.get(`/alliances/sma/periods/2026-Q1/summary?asAt=${mid}Z`).expect(200)).body;
    const now = (await service.http.get('/alliances/sma/periods/2026-Q1/summary').expect(200)).body;
    const side = page.locator('table:has(caption:text("side by side"))');
    const line = (label: string) => side.locator(`tbody tr:has(td:text-is("${label}"))`).locator('td').allInnerTexts();
    expect(await line('Status')).toEqual(['Status', 'provisional', 'certified', 'changed']);
    expect((await line('Outturn A')).slice(1)).toEqual([gbp(then.cost.outturn), gbp(now.cost.outturn), '']);
    expect((await line('Target T')).slice(1)).toEqual([gbp(then.cost.target), gbp(now.cost.target), 'changed']);
    expect((await line('Partners’ share C(p)')).slice(1, 3)).toEqual([gbp(then.cost.partnersShare), gbp(now.cost.partnersShare)]);

    const between = (await service.http.get(`/alliances/sma/events?from=${mid}Z&order=oldest&limit=100`).expect(200)).body.events.map((event: { type: string }) => event.type);
    expect(between).toEqual(['CompensationEventImplemented', 'PeriodClosed']);
    const shown = await page.locator('table:not(:has(caption)) tbody tr td:nth-child(3) strong').allInnerTexts();
    expect(shown).toEqual(between);
  });

  it('lists more than 500 events in between a page at a time, keeping both instants, and offers them all as CSV', async () => {
    await importNdjson(service.http, 'busy', fixture('worked-example.ndjson')).expect(200);
    await service.http.post('/alliances/busy/access/grants').send({ subject: 'auditor@example', role: 'auditor' }).expect(201);
    const from = await nextWholeSecond();
    const costs = Array.from({ length: 620 }, (_, index) => ({ command: 'RecordDefinedCost', data: { schemeId: 'A', periodId: '2026-Q1', costId: `BUSY-${index}`, amount: `${index + 1}.01` } }));
    await importNdjson(service.http, 'busy', ndjson(...costs)).expect(200);
    const to = await nextWholeSecond();
    await service.http.put('/alliances/busy/schemes/A/costs/AFTER-TO').send({ periodId: '2026-Q1', amount: '1.00' }).expect(201);
    const expected = (await service.http.get(`/alliances/busy/events?from=${from}Z&to=${to}Z&order=oldest&limit=1000`).expect(200)).body.events.map((event: { position: string }) => event.position);
    expect(expected.length).toBeGreaterThan(600);

    const page = await signedIn('auditor@example');
    await page.goto(`${service.url}/ui/alliances/busy/changes?period=2026-Q1&from=${from}&to=${to}`);
    const positions = () => page.locator('table:not(:has(caption)) tbody tr td:last-child').allInnerTexts();
    const first = await positions();
    expect(first).toEqual(expected.slice(0, 500));
    expect(await page.locator('main').innerText()).toContain('500 event(s), and more follow');

    await navigate(page, 'nav.pager a:has-text("Next 500") >> nth=0');
    const url = new URL(page.url());
    expect([url.searchParams.get('from'), url.searchParams.get('to'), url.searchParams.get('period')]).toEqual([`${from}.000Z`, `${to}.000Z`, '2026-Q1']);
    expect(await positions()).toEqual(expected.slice(500));
    expect(await page.locator('nav.pager a:has-text("Next 500")').count()).toBe(0);
    expect(await page.locator('table:has(caption:text("side by side")) tbody tr:has(td:text-is("Outturn A"))').innerText()).toContain('changed');
    await navigate(page, 'nav.pager a:has-text("First 500")');
    expect(await positions()).toEqual(first);

    const csv = readCsv(await csvDownload(await fetch(`${service.url}${await page.locator('main a:has-text("as CSV")').getAttribute('href')}`, { headers: await service.headersFor('auditor@example') })));
    expect(csv.slice(1).map((row) => row[0])).toEqual(expected);
    expect(csv.slice(1).filter((row) => row[3] === 'DefinedCostRecorded').map((row) => (JSON.parse(row[8]) as { amount: string }).amount)).toEqual(costs.map((line) => line.data.amount));

    // With "To" left blank, the later instant is when the first page was shown: what is recorded
    // after it stays off the next page and the CSV.
    const untilShown = (await service.http.get(`/alliances/busy/events?from=${from}Z&order=oldest&limit=1000`).expect(200)).body.events.map((event: { position: string }) => event.position);
    await page.goto(`${service.url}/ui/alliances/busy/changes?period=2026-Q1&from=${from}`);
    expect(await positions()).toEqual(untilShown.slice(0, 500));
    const csvUntilShown = await page.locator('main a:has-text("as CSV")').getAttribute('href');
    await service.http.put('/alliances/busy/schemes/A/costs/AFTER-SHOWN').send({ periodId: '2026-Q1', amount: '2.00' }).expect(201);
    await navigate(page, 'nav.pager a:has-text("Next 500") >> nth=0');
    expect(new URL(page.url()).searchParams.get('to')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await positions()).toEqual(untilShown.slice(500));
    const rows = readCsv(await csvDownload(await fetch(`${service.url}${csvUntilShown}`, { headers: await service.headersFor('auditor@example') })));
    expect(rows.slice(1).map((row) => row[0])).toEqual(untilShown);
  }, 90_000);

  it('shows who had signed off as at the instant picked, on the period and alliance pages', async () => {
    const beforeDispute = await nextWholeSecond();
    await service.http.post('/alliances/sma/periods/2026-Q1/statements/D2/dispute').send({ reason: 'Disallowance contested' }).expect(201);
    const page = await signedIn('auditor@example');
    const signOff = () => page.locator('main tr:has(a[href*="/partners/D2"]) td[data-label="Sign-off"]').innerText();
    await page.goto(`${service.url}${alliance}/periods/2026-Q1`);
    expect(await signOff()).toContain('disputed');
    await page.goto(`${service.url}${alliance}/periods/2026-Q1?asAt=${beforeDispute}Z`);
    expect(await signOff()).toContain('not signed yet');
    await page.goto(`${service.url}${alliance}?asAt=${beforeDispute}Z`);
    expect(await page.locator('main').innerText()).toContain('No partner had signed a certified statement by then');
    await page.goto(`${service.url}${alliance}`);
    expect(await page.locator('main').innerText()).toContain('Disallowance contested');
  });

  it('offers the “as at” picker on every page, or says the page shows the present only', async () => {
    const pages = htmlPages(service.app).filter((path) => !path.startsWith('/auth/'));
    expect(pages.length).toBeGreaterThanOrEqual(10);
    const values: Record<string, string> = { allianceId: 'sma', periodId: '2026-Q1', partnerId: 'P', schemeId: 'C' };
    const answered: Record<string, string> = {};
    for (const path of pages) {
      const url = `${path.replace(/:(\w+)/g, (_, name: string) => values[name])}?asAt=${mid}Z`;
      const body = (await service.http.get(url).expect(200)).text;
      const picker = /<form method="get" class="asat/.test(body) && body.includes(`at <strong>${mid}.000Z</strong>`);
      const compared = /id="to" name="to" value="([^"]*)"/.exec(body)?.[1] === mid;
      answered[path] = picker ? 'picker' : compared ? 'two instants' : body.includes(`This page shows the present only, not as at ${mid}Z`) ? 'present only' : 'ignored';
    }
    expect(Object.entries(answered).filter(([, answer]) => answer === 'ignored')).toEqual([]);
    expect(answered).toMatchObject({ '/': 'present only', '/ui/alliances/:allianceId/benchmark': 'present only', '/ui/alliances/:allianceId/changes': 'two instants', '/ui/alliances/:allianceId/events': 'picker' });
  });

  it('shows the history as it stood at the instant picked, keeping the filters and paging at that instant', async () => {
    const page = await signedIn('auditor@example');
    await page.goto(`${service.url}${alliance}/events`);
    const types = () => page.locator('main tbody tr td:nth-child(3) strong').allInnerTexts();
    expect(await types()).toContain('PeriodClosed');
    await page.selectOption('#f-type', 'CompensationEventImplemented');
    await navigate(page, 'form.filters button');
    const ceIds = () => page.locator('main tbody tr td:nth-child(4)').allInnerTexts();
    expect((await ceIds())[0]).toContain('CE-A2');

    await page.fill('#asAt', asInputValue(mid));
    await navigate(page, 'form.asat button');
    expect(await page.locator('.asat-banner').innerText()).toContain(`The history as it stood at ${mid}.000Z`);
    expect(await page.inputValue('#f-type')).toBe('CompensationEventImplemented');
    const then = await ceIds();
    expect(then.some((text) => text.includes('CE-A2'))).toBe(false);
    expect(then[0]).toContain('CE-C2');

    await page.goto(`${service.url}${alliance}/events?asAt=${mid}Z&limit=3`);
    const recordedBy = (await service.http.get(`/alliances/sma/events?order=newest&limit=1000`).expect(200)).body.events.filter(
      (event: { metadata: { recordedAt: string } }) => Date.parse(event.metadata.recordedAt) <= Date.parse(`${mid}Z`),
    );
    const positions = () => page.locator('main tbody tr td:last-child').allInnerTexts();
    expect(await positions()).toEqual(recordedBy.slice(0, 3).map((event: { position: string }) => event.position));
    await navigate(page, 'a:has-text("Older →") >> nth=0');
    expect(page.url()).toContain(`asAt=${encodeURIComponent(`${mid}.000Z`)}`);
    expect(await positions()).toEqual(recordedBy.slice(3, 6).map((event: { position: string }) => event.position));
    const csv = await csvDownload(await fetch(`${service.url}${await page.locator('.downloads a:has-text("CSV")').getAttribute('href')}`, { headers: await service.headersFor('auditor@example') }));
    expect(readCsv(csv).length - 1).toBe(recordedBy.length);
    expect(await types()).not.toContain('PeriodClosed');
    await navigate(page, '.asat-banner a');
    expect(await types()).toContain('PeriodClosed');
  });

  it('checks the certificate as it stood at the instant picked: none before the close', async () => {
    const page = await signedIn('auditor@example');
    await page.goto(`${service.url}${alliance}/periods/2026-Q1/certificate`);
    expect(await page.locator('h1').innerText()).toContain('checked: it matches its events');
    await page.fill('#asAt', asInputValue(mid));
    await navigate(page, 'form.asat button');
    expect(await page.locator('h1').innerText()).toContain('not certified then');
    expect(await page.locator('main').innerText()).toContain(`By ${mid}.000Z the period had not been closed`);
    await navigate(page, 'main a:has-text("The period’s figures then")');
    expect(await page.locator('h1').innerText()).toContain('provisional');
  });

  it('compares the instant a page was seen at with an earlier one, both editable', async () => {
    const page = await signedIn('auditor@example');
    await page.goto(`${service.url}${alliance}?asAt=${mid}Z`);
    await navigate(page, 'main a:has-text("what changed between two dates")');
    expect(await page.inputValue('#to')).toBe(mid);
    await page.fill('#period', '2026-Q1');
    await page.fill('#from', asInputValue(early));
    await navigate(page, 'form.filters button');
    const all = (await service.http.get('/alliances/sma/events?order=oldest&limit=1000').expect(200)).body.events as Array<{ type: string; metadata: { recordedAt: string } }>;
    const between = all.filter((event) => Date.parse(event.metadata.recordedAt) > Date.parse(`${early}Z`) && Date.parse(event.metadata.recordedAt) <= Date.parse(`${mid}Z`)).map((event) => event.type);
    expect(between).toContain('SchemeRegistered');
    const shown = await page.locator('table:not(:has(caption)) tbody tr td:nth-child(3) strong').allInnerTexts();
    expect(shown).toEqual(between);
    const then = (await service.http.get(`/alliances/sma/periods/2026-Q1/summary?asAt=${mid}Z`).expect(200)).body;
    const side = page.locator('table:has(caption:text("side by side"))');
    expect(await side.locator('tbody tr:has(td:text-is("Target T")) td').nth(2).innerText()).toBe(gbp(then.cost.target));
    await page.fill('#to', '');
    await navigate(page, 'form.filters button');
    expect(await page.locator('main').innerText()).toContain('PeriodClosed');
  });
});

/**
 * Clicks a link or a form's button and waits until the page it opens has loaded. Reading it before
 * then could see a long table half parsed, with rows that do not yet have their last cells.
 */
async function navigate(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

/** How Chromium writes a datetime-local value: whole minutes without their `:00` seconds. */

function asInputValue(isoSeconds: string): string {
  return isoSeconds.replace(/:00$/, '');
}

/** The paths of every page the app serves: GET routes answering text/html. */
function htmlPages(app: INestApplication): string[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const pages: string[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!controller) continue;
    const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    for (const name of new MetadataScanner().getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as object;
      const headers = (Reflect.getMetadata(HEADERS_METADATA, handler) as Array<{ name: string; value: string }> | undefined) ?? [];
      if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET || !headers.some((header) => /^text\/html/.test(header.value))) continue;
      pages.push(`/${[base, Reflect.getMetadata(PATH_METADATA, handler) as string].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`);
    }
  }
  return pages.sort();
}

/** What a chart colour reads as, by its hue: red, amber or green (or another), from its #rrggbb. */
function tone(hex: string | undefined): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  if (!match) return `not a colour: ${hex}`;
  const [r, g, b] = match.slice(1).map((part) => parseInt(part, 16) / 255);
  const max = Math.max(r, g, b);
  const range = max - Math.min(r, g, b);
  if (range < 0.15) return `grey ${hex}`;
  const hue = (60 * (max === r ? (g - b) / range : max === g ? (b - r) / range + 2 : (r - g) / range + 4) + 360) % 360;
  return hue < 15 || hue >= 340 ? 'red' : hue >= 25 && hue < 60 ? 'amber' : hue >= 90 && hue < 170 ? 'green' : `other ${hex}`;
}
