import { MULTI_PERIOD } from '../support/multi-period';
import { importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

/**
 * Q1 (2026-01-01 … 2026-03-31), worked by hand, days counting the first and the last:
 *   A planned 2026-01-05 → 2026-02-03 (30 days), actual 2026-01-05 → 2026-02-12 (39 days)
 *   B planned 2026-02-01 → 2026-03-12 (40 days), actual 2026-02-03 → 2026-03-20 (46 days)
 *   C reopened on 2026-04-02, in Q2: not counted.
 * Time on site = (39 + 46) × 100 / (30 + 40) = 121.428571…; anchors poor 130, MCOS 100,
 * outstanding 80, so the score is −(121.428571 − 100) / 30 × 100 = −71.4286.
 */
describe('time on site', () => {
  let service: TestApp;
  const siteDates = (schemeId: string) => `/alliances/tq/schemes/${schemeId}/site-dates`;

  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(
      service.http,
      'tq',
      MULTI_PERIOD.alliance +
        MULTI_PERIOD.q1 +
        ndjson(
          // Weights must sum to 1 to close: AFR 0.5, milestones 0.3, time on site 0.2.
          { command: 'DefineKpi', data: { kpiId: 'milestones', name: 'Milestones', unit: '%', source: 'measured', poor: '80', mcos: '90', outstanding: '100', weight: '0.3', gate: false } },
          { command: 'DefineKpi', data: { kpiId: 'site', name: 'Time on site', unit: '% of planned', source: 'time-on-site', poor: '130', mcos: '100', outstanding: '80', weight: '0.2', gate: false } },
        ),
    ).expect(200);
  });
  afterAll(() => service.close());

  it('records the planned dates, then the actual ones, each record the dates as they now stand', async () => {
    const planned = await service.http.put(siteDates('A')).send({ periodId: '2026-Q1', plannedStart: '2026-01-05', plannedReopen: '2026-02-03' }).expect(201);
    expect(planned.body.events).toEqual([expect.objectContaining({ type: 'SiteDatesRecorded' })]);
    await service.http.put(siteDates('A')).send({ periodId: '2026-Q1', actualStart: '2026-01-05', actualReopen: '2026-02-12' }).expect(201);
    // The same again records nothing.
    expect((await service.http.put(siteDates('A')).send({ periodId: '2026-Q1', actualReopen: '2026-02-12' }).expect(200)).body.outcome).toBe('unchanged');
    await service.http.put(siteDates('B')).send({ periodId: '2026-Q1', plannedStart: '2026-02-01', plannedReopen: '2026-03-12', actualStart: '2026-02-03', actualReopen: '2026-03-20' }).expect(201);
    await service.http.put(siteDates('C')).send({ periodId: '2026-Q1', plannedStart: '2026-03-01', plannedReopen: '2026-03-25', actualStart: '2026-03-02', actualReopen: '2026-04-02' }).expect(201);

    const { body } = await service.http.get('/alliances/tq/events?stream=scheme.A&type=SiteDatesRecorded').expect(200);
    expect(body.events.map((event: { data: unknown }) => event.data)).toEqual([
      { allianceId: 'tq', schemeId: 'A', periodId: '2026-Q1', plannedStart: '2026-01-05', plannedReopen: '2026-02-03', actualStart: null, actualReopen: null },
      { allianceId: 'tq', schemeId: 'A', periodId: '2026-Q1', plannedStart: '2026-01-05', plannedReopen: '2026-02-03', actualStart: '2026-01-05', actualReopen: '2026-02-12' },
    ]);
  });

  it('derives a time-on-site KPI from the schemes whose road reopened in the period, and explains it by their dates', async () => {
    const { body: summary } = await service.http.get('/alliances/tq/periods/2026-Q1/summary').expect(200);
    expect(summary.performance.kpis.find((kpi: { kpiId: string }) => kpi.kpiId === 'site')).toMatchObject({ value: '121.428571', score: '-71.4286' });
    const { body: explained } = await service.http.get('/alliances/tq/periods/2026-Q1/summary?explain=true').expect(200);
    const figure = explained.explanation.figures.find((line: { figure: string }) => line.figure === 'performance.kpis.site');
    expect(figure.rule).toMatch(/actual days on site × 100 \/ Σ planned days/);
    expect(new Set(figure.events.map((event: { streamName: string }) => event.streamName))).toEqual(new Set(['ledger.tq.scheme.A', 'ledger.tq.scheme.B']));
  });

  it('refuses a road reopening before work started, an actual reopening with no start, and measuring a derived KPI', async () => {
    const backwards = await service.http.put(siteDates('B')).send({ periodId: '2026-Q1', actualReopen: '2026-01-01' }).expect(400);
    expect(backwards.body).toMatchObject({ code: 'site_dates_out_of_order', errors: [{ field: 'actualReopen' }] });
    const noStart = await service.http.put(siteDates('A')).send({ periodId: '2026-Q1', actualStart: null }).expect(400);
    expect(noStart.body.errors).toEqual([{ field: 'actualReopen', reason: expect.stringMatching(/needs actualStart/) }]);
    const badDate = await service.http.put(siteDates('A')).send({ periodId: '2026-Q1', plannedStart: '2026-02-30' }).expect(400);
    expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'plannedStart' })]);
    const measured = await service.http.put('/alliances/tq/kpis/site/measurements/2026-Q1').send({ value: '90' }).expect(409);
    expect(measured.body.code).toBe('kpi_is_derived');
    expect((await service.http.put(siteDates('Z')).send({ periodId: '2026-Q1', plannedStart: '2026-01-01' }).expect(404)).body.code).toBe('scheme_not_found');
  });

  it('refuses dates in a closed period, keeps the certified value (its certificate checks out), and counts a road reopened later in its own period', async () => {
    const close = await importNdjson(service.http, 'tq', MULTI_PERIOD.closeQ1);
    expect([close.status, close.body.error]).toEqual([200, null]);
    const closed = await service.http.put(siteDates('A')).send({ periodId: '2026-Q1', actualReopen: '2026-02-20' }).expect(409);
    expect(closed.body.code).toBe('period_closed');
    await importNdjson(service.http, 'tq', ndjson({ command: 'OpenPeriod', data: { periodId: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30' } })).expect(200);
    // C reopened in Q2: 32 days against 25 planned = 128%.
    const { body: q2 } = await service.http.get('/alliances/tq/periods/2026-Q2/summary').expect(200);
    expect(q2.performance.kpis.find((kpi: { kpiId: string }) => kpi.kpiId === 'site').value).toBe('128.000000');
    const { body: certificate } = await service.http.get('/alliances/tq/periods/2026-Q1/certificate').expect(200);
    expect(certificate).toMatchObject({ digestMatches: true, figuresMatch: true });
    expect(certificate.certificate.summary.performance.kpis.find((kpi: { kpiId: string }) => kpi.kpiId === 'site').value).toBe('121.428571');
  });

  it('shows the dates and the days on site on the scheme page', async () => {
    const page = (await service.http.get('/ui/alliances/tq/schemes/A').expect(200)).text;
    expect(page).toMatch(/Time on site/);
    expect(page).toMatch(/<td data-label="">Actual<\/td><td data-label="Work started on site">2026-01-05<\/td><td data-label="Road reopened">2026-02-12<\/td><td data-label="Days on site" class="num">39<\/td>/);
  });
});
