import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import { runLedger } from '../support/cli';
import { MULTI_PERIOD, multiPeriodExpected } from '../support/multi-period';
import { seed } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/** Three quarters recorded over nine months: figures as they stood at any instant, and closing rules. */
describe('figures as they stood, certification and the pages', () => {
  const expected = multiPeriodExpected('tq');
  let dataDir: string;
  let service: TestApp;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-history-'));
    const store = new SqliteEventStore({ path: join(dataDir, 'events.db') });
    const at = (instant: string) => ({ now: () => new Date(instant) });
    await seed(store, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1, at('2026-03-31T17:00:00Z'));
    await seed(store, 'tq', MULTI_PERIOD.closeQ1, at('2026-04-10T09:00:00Z'));
    await seed(store, 'tq', MULTI_PERIOD.q2, at('2026-06-30T17:00:00Z'));
    await seed(store, 'tq', MULTI_PERIOD.q3, at('2026-09-30T17:00:00Z'));
    await store.close();
    service = await startTestApp({ dataDir });
  });
  afterAll(async () => {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const summary = (periodId: string, asAt?: string) =>
    service.http.get(`/alliances/tq/periods/${periodId}/summary${asAt ? `?asAt=${encodeURIComponent(asAt)}` : ''}`);

  it('shows Q1 provisional before it was closed, and certified after', async () => {
    expect((await summary('2026-Q1', '2026-04-01T00:00:00Z').expect(200)).body).toEqual({ ...expected['2026-Q1'], status: 'provisional' });
    expect((await summary('2026-Q1', '2026-04-10T10:00:00Z').expect(200)).body).toEqual(expected['2026-Q1']);
  });

  it('answers 404 for a period not yet opened at that instant, and names it', async () => {
    const { body } = await summary('2026-Q2', '2026-04-01T00:00:00Z').expect(404);
    expect(body).toMatchObject({ code: 'period_not_found', errors: [{ field: 'periodId', reason: expect.stringContaining('had not been opened at 2026-04-01T00:00:00.000Z') }] });
    await service.http.get('/alliances/tq/periods/2026-Q1/summary?asAt=yesterday').expect(400);
  });

  it('gives the present from the read models and the past from the events, alike', async () => {
    expect((await summary('2026-Q3').expect(200)).body).toEqual(expected['2026-Q3']);
    expect((await summary('2026-Q3', '2030-01-01T00:00:00Z').expect(200)).body).toEqual(expected['2026-Q3']);
    expect((await summary('2026-Q2', '2026-07-01T00:00:00Z').expect(200)).body).toEqual(expected['2026-Q2']);
  });

  it('answers --as-at on the command line with the same JSON', async () => {
    const cli = await runLedger(['summary', '--alliance', 'tq', '--period', '2026-Q1', '--as-at', '2026-04-01T00:00:00Z'], { LEDGER_DATA_DIR: dataDir });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual((await summary('2026-Q1', '2026-04-01T00:00:00Z')).body);
  });

  it('gives the history and the certificate check as they stood at an instant, over HTTP and on the command line', async () => {
    const events = async (asAt?: string) => (await service.http.get(`/alliances/tq/events?order=oldest&limit=1000${asAt ? `&asAt=${asAt}` : ''}`).expect(200)).body.events as Array<{ type: string; metadata: { recordedAt: string } }>;
    const all = await events();
    const beforeClose = await events('2026-04-01T00:00:00Z');
    expect(beforeClose.length).toBeGreaterThan(0);
    expect(beforeClose).toEqual(all.filter((event) => event.metadata.recordedAt <= '2026-04-01T00:00:00.000Z'));
    expect(beforeClose.map((event) => event.type)).not.toContain('PeriodClosed');
    expect((await events('2026-04-10T09:00:00Z')).map((event) => event.type)).toContain('PeriodClosed');

    const notYet = await service.http.get('/alliances/tq/periods/2026-Q1/certificate?asAt=2026-04-01T00:00:00Z').expect(404);
    expect(notYet.body).toMatchObject({ code: 'period_not_certified', errors: [{ field: 'periodId', reason: expect.stringContaining('had not been closed by 2026-04-01T00:00:00.000Z') }] });
    const checked = (await service.http.get('/alliances/tq/periods/2026-Q1/certificate?asAt=2026-04-10T10:00:00Z').expect(200)).body;
    expect(checked).toMatchObject({ digestMatches: true, figuresMatch: true });

    const cli = await runLedger(['events', '--alliance', 'tq', '--order', 'oldest', '--limit', '1000', '--as-at', '2026-04-01T00:00:00Z'], { LEDGER_DATA_DIR: dataDir });
    expect(JSON.parse(cli.stdout).events).toEqual(beforeClose);
    const certificate = await runLedger(['certificate', '--alliance', 'tq', '--period', '2026-Q1', '--as-at', '2026-04-01T00:00:00Z'], { LEDGER_DATA_DIR: dataDir });
    expect(certificate.code).toBe(1);
    expect(JSON.parse(certificate.stderr)).toMatchObject({ code: 'period_not_certified' });
  }, 60_000);

  it('rebuilds every read model from the command line, with a progress bar, while the service runs on them', async () => {
    const before = await Promise.all(['2026-Q1', '2026-Q2', '2026-Q3'].map(async (periodId) => (await summary(periodId).expect(200)).body));
    const rebuild = await runLedger(['projections', 'rebuild'], { LEDGER_DATA_DIR: dataDir });
    expect(rebuild.code).toBe(0);
    expect(rebuild.stderr).toMatch(/Rebuilding \[#+\] 100% \d+ events/);
    expect(JSON.parse(rebuild.stdout)).toMatchObject({ alliances: 1, events: expect.any(Number) });
    const after = await Promise.all(['2026-Q1', '2026-Q2', '2026-Q3'].map(async (periodId) => (await summary(periodId).expect(200)).body));
    expect(after).toEqual(before);
    await service.http.put('/alliances/tq/schemes/C/costs/AFTER-REBUILD').send({ periodId: '2026-Q3', amount: '1.00' }).expect(201);
    expect((await summary('2026-Q3').expect(200)).body.cost.outturn).toBe('318000001.00');
    await service.http.post('/alliances/tq/schemes/C/costs/AFTER-REBUILD/reversal').send({ periodId: '2026-Q3', reason: 'test entry' }).expect(201);
  });

  it('refuses to close a period while a KPI has no value, naming each one', async () => {
    await service.http.post('/alliances/tq/periods/2026-Q3/close').expect(201);
    await service.http.put('/alliances/tq/periods/2026-Q4').send({ startDate: '2026-10-01', endDate: '2026-12-31' }).expect(201);
    const refused = await service.http.post('/alliances/tq/periods/2026-Q4/close').expect(409);
    expect(refused.body).toMatchObject({
      code: 'kpi_values_missing',
      errors: [
        { field: 'kpis.afr', reason: 'has no value for the period' },
        { field: 'kpis.milestones', reason: 'has no value for the period' },
      ],
    });
    const { body } = await summary('2026-Q4').expect(200);
    expect(body.performance).toMatchObject({ score: null, amount: '0.00', missingKpis: ['afr', 'milestones'] });
    expect(body.status).toBe('provisional');
  });

  it('renders a partner’s statement page with the figures and the events behind them', async () => {
    const page = await service.http.get('/ui/alliances/tq/periods/2026-Q2/partners/S1').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Delivery 1 · 2026-Q2');
    expect(page.text).toContain('−£1,800,000.00');
    // The events behind each figure replay the history, so the page lists them when asked.
    expect(page.text).toContain('List the events each figure was computed from');
    expect(page.text).not.toContain('INC-Q2-F');
    expect((await service.http.get('/ui/alliances/tq/periods/2026-Q2/partners/S1?explain=true').expect(200)).text).toContain('INC-Q2-F');
    const missing = await service.http.get('/ui/alliances/%3Cscript%3E').expect(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
    expect(missing.text).toContain('alliance &#60;script&#62; has not been formed');
    expect(missing.text).not.toContain('<script>');
  });
});
