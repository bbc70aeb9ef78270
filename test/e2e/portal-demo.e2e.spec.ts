/// <reference lib="dom" />
import { Browser, Page } from 'playwright-core';
import { loadDemo } from '../../src/demo/load-demo';
import { accessibilityViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { pdfText } from '../support/pdf-text';
import { startTestApp, TestApp } from '../support/test-app';
import { signedInPage } from '../support/sign-in';

const SHOTS = process.env.PORTAL_SCREENSHOTS;

/**
 * The demo alliance (12 quarters, 30 schemes, six partners) walked as its personas would, at
 * 1400 px and 390 px: what a two-period fixture cannot show, such as a scorecard across twelve
 * quarters or a KPI value the summary shows rounded.
 */
describe('the portal on the demo alliance', () => {
  let service: TestApp;
  let browser: Browser;
  const alliance = '/ui/alliances/smart-motorways';

  beforeAll(async () => {
    service = await startTestApp();
    await loadDemo(service.app);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  const signedIn = (subject: string, width = 1400): Promise<Page> => signedInPage(browser, service, { subject }, { viewport: { width, height: 900 }, acceptDownloads: true });

  const WALKS: Array<[string, string[]]> = [
    ['pmp@demo.example', [alliance, `${alliance}/partners/PMP`, `${alliance}/periods/2026-Q2/partners/PMP?explain=true`]],
    ['commercial.manager@demo.example', [`${alliance}/periods/2026-Q4`, `${alliance}/schemes/M20-J9-J12`, `${alliance}/events`, `${alliance}/changes?period=2026-Q3&from=2026-09-01T00:00:00Z`, `${alliance}/benchmark`]],
    ['auditor@demo.example', [`${alliance}/periods/2026-Q3/certificate`, `${alliance}/events?type=SchemeCompleted`]],
  ];
  for (const width of [1400, 390]) {
    it(`has nothing wider than the screen and no serious accessibility fault on the pages each persona uses, at ${width} px`, async () => {
      const found: Record<string, unknown> = {};
      for (const [subject, paths] of WALKS) {
        const page = await signedIn(subject, width);
        for (const path of paths) {
          expect([path, (await page.goto(`${service.url}${path}`))!.status()]).toEqual([path, 200]);
          if (await page.locator('canvas[data-chart]').count()) await page.waitForFunction(() => 'Chart' in window);
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (wide > 0) found[`${path} overflow`] = wide;
          // An amount is read whole: never broken over two lines, and no card's figure cut off.
          const broken = await page.evaluate(() => [
            ...Array.from(document.querySelectorAll('.money'))
              .filter((element) => {
                const range = document.createRange();
                range.selectNodeContents(element);
                return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size > 1;
              })
              .map((element) => element.textContent),
            ...Array.from(document.querySelectorAll('.card .value')).filter((element) => element.scrollWidth > element.clientWidth).map((element) => `cut off: ${element.textContent}`),
          ]);
          if (broken.length) found[`${path} figures broken`] = broken;
          const violations = await accessibilityViolations(page);
          if (violations.length) found[path] = violations;
          if (SHOTS) await page.screenshot({ path: `${SHOTS}/demo-${subject.split('@')[0]}-${path.replace(/\W+/g, '_')}-${width}.png`, fullPage: true });
        }
        await page.context().close();
      }
      expect(found).toEqual({});
    }, 240_000);
  }

  it('shows the KPI scorecard a row per quarter, so twelve quarters fit the page', async () => {
    const page = await signedIn('auditor@demo.example');
    await page.goto(`${service.url}${alliance}`);
    const scorecard = page.locator('table.scorecard');
    expect(await scorecard.locator('tbody tr').count()).toBe(12);
    expect(await scorecard.locator('thead th').count()).toBe(7);
    const box = await scorecard.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1400);
  });

  it('writes every amount of the derivation as money, and says when S is shown rounded, on the page and in the PDF', async () => {
    const page = await signedIn('pmp@demo.example');
    await page.goto(`${service.url}${alliance}/periods/2026-Q2/partners/PMP`);
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/£[−-]/);
    expect(text).toMatch(/Uncapped share\s+−£8,821,480\.9400/);
    expect(await page.locator('#rounded-score').innerText()).toContain('the ledger multiplies S unrounded');
    expect(text).toContain('the value is shown rounded: unrounded, it scores');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("PDF")')]);
    const pdf = pdfText(Buffer.concat(await (await download.createReadStream()).toArray()));
    expect(pdf).not.toMatch(/£-/);
    expect(pdf).toContain('Uncapped: -£8,821,480.9400');
    expect(pdf).toContain('the ledger multiplies S unrounded, which gives -£299,665.63');

    await page.goto(`${service.url}${alliance}/periods/2026-Q3/partners/PMP`);
    expect(await page.locator('main').innerText()).toContain('C(p) − C(p−1) = −£26,919,704.75 − (−£8,821,480.94) = −£18,098,223.81');
    expect(await page.locator('#rounded-score').count()).toBe(0);
  });

  it('says why a period cannot be closed yet instead of offering a close that will be refused', async () => {
    const page = await signedIn('commercial.manager@demo.example');
    await page.goto(`${service.url}${alliance}/periods/2026-Q4`);
    expect(await page.locator('.actions').innerText()).toContain('cannot be closed until every KPI has a value: none yet for skills');
    expect(await page.locator('button:has-text("Propose closing the period")').count()).toBe(0);
    await page.goto(`${service.url}${alliance}/periods/2026-Q3`);
    expect(await page.locator('h1').innerText()).toContain('certified');
  });

  it('counts the events read only when a filter had to read past others', async () => {
    const page = await signedIn('auditor@demo.example');
    await page.goto(`${service.url}${alliance}/events`);
    expect(await page.locator('main caption').first().innerText()).toBe('50 event(s)');
    await page.goto(`${service.url}${alliance}/events?actor=nobody@example`);
    expect(await page.locator('main').innerText()).toContain('No event matches');
    await page.goto(`${service.url}${alliance}/events?period=2026-Q4&limit=5`);
    expect(await page.locator('main caption').first().innerText()).toMatch(/^5 event\(s\), \d+ read to find them$/);
  });
});
