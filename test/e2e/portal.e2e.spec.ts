/// <reference lib="dom" />
import { Browser, Page } from 'playwright-core';
import { Workbook } from 'exceljs';
import { accessibilityViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { pdfText } from '../support/pdf-text';
import { fixture, importNdjson, startTestApp, TestApp } from '../support/test-app';
import { signedInPage } from '../support/sign-in';
import { csvDownload, readCsv } from '../support/csv-text';

const SHOTS = process.env.PORTAL_SCREENSHOTS;

/** The portal in a real browser, as each persona uses it, on a desktop and on a phone. */
describe('the partner portal and the auditor workspace', () => {
  let service: TestApp;
  let browser: Browser;
  const alliance = '/ui/alliances/sma';
  let imported: string;

  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'sma', fixture('worked-example.ndjson').replace('"closeApprovals":1', '"closeApprovals":2')).expect(200);
    for (const [subject, role, partnerId] of [
      ['cm@example', 'commercial-manager'],
      ['approver@example', 'approver'],
      ['auditor@example', 'auditor'],
      ['pat@p.example', 'partner', 'P'],
    ]) {
      await service.http.post('/alliances/sma/access/grants').send({ subject, role, ...(partnerId ? { partnerId } : {}) }).expect(201);
    }
    imported = new Date().toISOString().slice(0, 19);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  const signedIn = (subject: string, width = 1400): Promise<Page> => signedInPage(browser, service, { subject }, { viewport: { width, height: 900 }, acceptDownloads: true });

  /** Nothing wider than the screen, every chart drawn by Chart.js from its table, and no serious accessibility fault. */
  async function checkLayout(page: Page, name: string): Promise<void> {
    const overflow = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((element) => document.documentElement.scrollWidth > window.innerWidth && !element.closest('thead') && element.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className} ${Math.round(element.getBoundingClientRect().right)}`)
        .slice(0, 5),
    );
    expect(overflow).toEqual([]);
    const charts = await page.evaluate(() => Array.from(document.querySelectorAll('canvas[data-chart]')).map((canvas) => Boolean((window as unknown as { Chart: { getChart(c: Element): unknown } }).Chart?.getChart(canvas))));
    expect(charts.every(Boolean)).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }

  it('closes the period with four eyes, the approver seeing the figures being approved', async () => {
    const manager = await signedIn('cm@example');
    await manager.goto(`${service.url}${alliance}/periods/2026-Q1`);
    await manager.click('button:has-text("Propose closing the period")');
    const approver = await signedIn('approver@example');
    await approver.goto(`${service.url}${alliance}/periods/2026-Q1`);
    expect(await approver.textContent('.actions')).toMatch(/Approving certifies the figures below: C\(p\) £[\d,]+\.\d\d/);
    await approver.click('button:has-text("Approve and certify")');
    expect(await approver.textContent('h1')).toContain('certified');
    await approver.goto(`${service.url}${alliance}/periods/2026-Q1/certificate`);
    expect(await approver.textContent('h1')).toContain('checked: it matches its events');
  });

  for (const width of [1400, 390]) {
    it(`gives a partner its dashboard and its statement derived to the penny, at ${width} px`, async () => {
      const partner = await signedIn('pat@p.example', width);
      await partner.goto(`${service.url}${alliance}/partners/P`);
      await partner.waitForFunction(() => document.querySelectorAll('canvas[data-chart]').length > 0 && 'Chart' in window);
      expect(await partner.locator('table#cumulative tbody tr').count()).toBe(1);
      await checkLayout(partner, `partner-dashboard-${width}`);

      await partner.goto(`${service.url}${alliance}/periods/2026-Q1/partners/P`);
      const statement = (await service.http.get('/alliances/sma/periods/2026-Q1/statements/P').expect(200)).body;
      const text = (await partner.textContent('main'))!;
      expect(text).toContain('Band by band');
      expect(text).toContain('S = Σ weight × score');
      expect(text).toContain('leftover penn');
      await checkLayout(partner, `partner-statement-${width}`);

      const [download] = await Promise.all([partner.waitForEvent('download'), partner.click('a:has-text("PDF")')]);
      const pdf = pdfText(Buffer.from(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks))));
      const gbp = (value: string) => `£${value.replace(/^-/, '').replace(/\B(?=(\d{3})+(?!\d)(?=\.))/g, ',')}`;
      expect(pdf).toContain(`Total: ${statement.total.startsWith('-') ? '-' : ''}${gbp(statement.total)}`);
      expect(pdf).toMatch(/Digest sha256:[0-9a-f]{64}/);
      expect(pdf).toContain('digest matches, figures match');
    });
  }

  it('lets the partner acknowledge its certified statement from the page', async () => {
    const partner = await signedIn('pat@p.example');
    await partner.goto(`${service.url}${alliance}/periods/2026-Q1/partners/P`);
    await partner.click('button:has-text("Acknowledge this statement")');
    expect(await partner.textContent('main')).toContain('acknowledged');
    const csv = await csvDownload(await fetch(`${service.url}${alliance}/periods/2026-Q1/partners/P/statement.csv`, { headers: await service.headersFor('pat@p.example') }));
    expect(csv).toMatch(/^figure,value,how/);
    expect(csv).toContain('signOff,acknowledged,pat@p.example');
    // The figures to the penny and the workings' symbols (×, −, Σ) read back as written.
    const figures = Object.fromEntries(readCsv(csv).map(([figure, value, how]) => [figure, { value, how }]));
    const statement = (await service.http.get('/alliances/sma/periods/2026-Q1/statements/P').expect(200)).body;
    expect([figures.total.value, figures.costShare.value, figures.performance.value]).toEqual([statement.total, statement.costShare, statement.performance]);
    expect([figures.partnersShareThisPeriod.how, figures.score.how]).toEqual(['C(p) − C(p−1)', 'S = Σ weight × score']);
  });

  for (const width of [1400, 390]) {
    it(`gives an auditor the alliance dashboard and the history, filtered and paged, at ${width} px`, async () => {
      const auditor = await signedIn('auditor@example', width);
      await auditor.goto(`${service.url}${alliance}`);
      await auditor.waitForFunction(() => 'Chart' in window);
      await checkLayout(auditor, `alliance-${width}`);

      await auditor.goto(`${service.url}${alliance}/events`);
      const first = await auditor.locator('main tbody tr').first().textContent();
      expect(first).toContain('StatementAcknowledged');
      await auditor.selectOption('#f-type', 'DefinedCostRecorded');
      await auditor.click('button:has-text("Filter")');
      const types = await auditor.locator('main tbody tr td:nth-child(3) strong').allTextContents();
      expect(types.length).toBeGreaterThan(0);
      expect(new Set(types)).toEqual(new Set(['DefinedCostRecorded']));
      await checkLayout(auditor, `history-${width}`);
    });
  }

  it('pages the history both ways and exports the filtered view as XLSX', async () => {
    const auditor = await signedIn('auditor@example');
    await auditor.goto(`${service.url}${alliance}/events?limit=5`);
    const page1 = await auditor.locator('main tbody tr td:last-child').allTextContents();
    await auditor.click('a:has-text("Older →") >> nth=0');
    const page2 = await auditor.locator('main tbody tr td:last-child').allTextContents();
    expect(page2).toHaveLength(5);
    expect(page2.some((position) => page1.includes(position))).toBe(false);
    await auditor.click('a:has-text("← Newer") >> nth=0');
    expect(await auditor.locator('main tbody tr td:last-child').allTextContents()).toEqual(page1);

    const response = await fetch(`${service.url}${alliance}/exports/events.xlsx?type=CostDisallowed,DefinedCostRecorded`, { headers: await service.headersFor('auditor@example') });
    const book = new Workbook();
    await book.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = book.getWorksheet('events')!;
    const api = (await service.http.get('/alliances/sma/events?type=CostDisallowed,DefinedCostRecorded&limit=1000').expect(200)).body;
    expect(sheet.rowCount - 1).toBe(api.events.length);
    expect(sheet.getRow(2).getCell(4).value).toBe(api.events[0].type);
  });

  it('shows a page as at an earlier instant and what changed between two dates', async () => {
    const auditor = await signedIn('auditor@example');
    const before = new Date().toISOString().slice(0, 19);
    await auditor.goto(`${service.url}${alliance}/periods/2026-Q1`);
    await auditor.fill('#asAt', before.replace(/:00$/, '')); // Chromium's own form of a whole minute
    await auditor.click('form.asat button');
    expect(await auditor.textContent('.asat-banner')).toContain('Figures as they stood at');
    await auditor.goto(`${service.url}${alliance}/changes?period=2026-Q1&from=${encodeURIComponent(imported)}`);
    expect(await auditor.textContent('main')).toContain('PeriodClosed');
  });
});
