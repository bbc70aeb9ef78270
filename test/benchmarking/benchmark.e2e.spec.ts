import { workedExampleTerms } from '../support/alliance-fixtures';
import { importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

/**
 * Three alliances, 2026, worked by hand. Bands: R ≤ 0.9 25%, 0.9–1.1 50%, above 75%; one KPI,
 * milestones (poor 80, MCOS 90, outstanding 100, weight 1); reward pool and liability 6m.
 *   north: T 100m, A 90m: R 0.9, gain 5m (0.050000 per £). 1,000,000 hours, one RIDDOR (S1): AFR 0.1.
 *          Milestones 95: S 50, performance 3m. Design (D1 + D2, 30%): 1.5m + 0.9m = 2.4m (0.024 per £).
 *          Scheme A on site 30 days planned, 39 actual: time on site 130%. Certified.
 *   south: T 100m, A 100m: R 1, no gain. 500,000 hours, one RIDDOR with no partner: AFR 0.2.
 *          Milestones 90, then changed to 85: S −50.
 *   east:  T 200m, A 220m in Q1 and a 1m cost on the completed scheme in Q2: A 221m, R 1.105,
 *          pain 20m × 50% + 1m × 75% = 10.75m (−0.053750 per £). 2,000,000 hours, no incident: AFR 0.
 *          No milestones in either quarter.
 */
const terms = (name: string) => ({
  command: 'FormAlliance',
  data: {
    name,
    owner: 'National Highways',
    closeApprovals: 1,
    partners: workedExampleTerms().partners,
    shareBands: workedExampleTerms().shareBands.map(({ from, to, share }) => (to === null ? { from, share } : { from, to, share })),
    rewardPoolMax: '6000000.00',
    liabilityMax: '6000000.00',
  },
});
const kpi = { command: 'DefineKpi', data: { kpiId: 'milestones', name: 'Milestones', unit: '%', source: 'measured', poor: '80', mcos: '90', outstanding: '100', weight: '1', gate: false } };
const q1 = { command: 'OpenPeriod', data: { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31' } };
const scheme = (target: string, cost: string) => [
  { command: 'RegisterScheme', data: { schemeId: 'A', name: 'Scheme A' } },
  { command: 'SetTargetBaseline', data: { schemeId: 'A', periodId: '2026-Q1', amount: target } },
  { command: 'RecordDefinedCost', data: { schemeId: 'A', periodId: '2026-Q1', costId: 'A-1', amount: cost } },
  { command: 'CompleteScheme', data: { schemeId: 'A', periodId: '2026-Q1' } },
];
const hours = (value: string) => ({ command: 'RecordHoursWorked', commandId: `hours-${value}`, data: { periodId: '2026-Q1', hours: value } });

const NORTH = ndjson(
  terms('Northern Highways Alliance'),
  kpi,
  q1,
  ...scheme('100000000.00', '90000000.00'),
  { command: 'RecordSiteDates', data: { schemeId: 'A', periodId: '2026-Q1', plannedStart: '2026-01-05', plannedReopen: '2026-02-03', actualStart: '2026-01-05', actualReopen: '2026-02-12' } },
  hours('1000000'),
  { command: 'ReportSafetyIncident', data: { periodId: '2026-Q1', incidentId: 'N-1', severity: 'riddor', partnerId: 'S1' } },
  { command: 'RecordKpiMeasurement', data: { periodId: '2026-Q1', kpiId: 'milestones', value: '95' } },
  { command: 'ClosePeriod', data: { periodId: '2026-Q1' } },
);
const SOUTH = ndjson(
  terms('Southern Roads Alliance'),
  kpi,
  q1,
  ...scheme('100000000.00', '100000000.00'),
  hours('500000'),
  { command: 'ReportSafetyIncident', data: { periodId: '2026-Q1', incidentId: 'S-1', severity: 'riddor' } },
  { command: 'RecordKpiMeasurement', data: { periodId: '2026-Q1', kpiId: 'milestones', value: '90' } },
  { command: 'RecordKpiMeasurement', data: { periodId: '2026-Q1', kpiId: 'milestones', value: '85' } },
);
const EAST = ndjson(
  terms('Eastern Motorways Alliance'),
  kpi,
  q1,
  ...scheme('200000000.00', '220000000.00'),
  hours('2000000'),
  { command: 'OpenPeriod', data: { periodId: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30' } },
  { command: 'RecordDefinedCost', data: { schemeId: 'A', periodId: '2026-Q2', costId: 'A-2', amount: '1000000.00', description: 'Final account after completion' } },
);

interface Row {
  label: string;
  allianceId: string | null;
  name: string | null;
  cost: Record<string, string | null>;
  safety: Record<string, string | number | null>;
  score: string | null;
  timeOnSite: { percent: string | null };
  flags: Array<{ code: string; count: number; periods: string[] }>;
}
interface Ranking {
  measure: string;
  quartiles: { q1: string; median: string; q3: string } | null;
  ranked: Array<{ label: string; value: string; rank: number; quartile: number; schemeId?: string }>;
}

describe('benchmarking across alliances', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'north', NORTH).expect(200);
    await importNdjson(service.http, 'south', SOUTH).expect(200);
    await importNdjson(service.http, 'east', EAST).expect(200);
    await service.http.post('/alliances/north/access/grants').send({ subject: 'rec@north', role: 'recorder' }).expect(201);
    await service.http.post('/alliances/north/access/grants').send({ subject: 'analyst@framework', role: 'benchmark' }).expect(201);
  });
  afterAll(() => service.close());

  it('gives each alliance’s year the figures worked by hand, ranked, with quartiles', async () => {
    const { body } = await service.http.get('/alliances/north/benchmark').expect(200);
    expect(body).toMatchObject({ viewer: { allianceId: 'north', named: true }, year: '2026', years: ['2026'] });
    const row = (id: string): Row => body.alliances.find((candidate: Row) => candidate.allianceId === id);
    expect(row('north')).toMatchObject({
      name: 'Northern Highways Alliance',
      cost: { target: '100000000.00', outturn: '90000000.00', variance: '10000000.00', ratio: '0.900000', gainPain: '5000000.00', gainPainPerPound: '0.050000' },
      safety: { hours: '1000000.00', riddor: 1, incidents: 1, afr: '0.100000' },
      score: '50.0000',
      timeOnSite: { percent: '130.000000', schemes: 1 },
      flags: [],
    });
    expect(row('south')).toMatchObject({ cost: { ratio: '1.000000', gainPain: '0.00', gainPainPerPound: '0.000000' }, safety: { afr: '0.200000' }, score: '-50.0000', timeOnSite: { percent: null } });
    expect(row('east')).toMatchObject({ cost: { target: '200000000.00', outturn: '221000000.00', ratio: '1.105000', gainPain: '-10750000.00', gainPainPerPound: '-0.053750' }, safety: { afr: '0.000000', incidents: 0 }, score: null });

    const ranking = (measure: string): Ranking => body.rankings.find((candidate: Ranking) => candidate.measure === measure);
    expect(ranking('cost.ratio').ranked.map((entry) => [entry.label, entry.rank, entry.quartile])).toEqual([['north', 1, 1], ['south', 2, 2], ['east', 3, 3]]);
    expect(ranking('cost.ratio').quartiles).toEqual({ q1: '0.950000', median: '1.000000', q3: '1.052500' });
    expect(ranking('safety.afr').ranked.map((entry) => entry.label)).toEqual(['east', 'north', 'south']);
    expect(ranking('cost.gainPainPerPound').ranked.map((entry) => entry.label)).toEqual(['north', 'south', 'east']);
    // A KPI missing everywhere in the year leaves that alliance out of the KPI's field.
    expect(ranking('kpis.milestones').ranked.map((entry) => [entry.label, entry.value])).toEqual([['north', '50.0000'], ['south', '-50.0000']]);
    expect(ranking('timeOnSite.percent').ranked).toEqual([{ label: 'north', value: '130.000000', rank: 1, quartile: 1 }]);
    expect(ranking('scheme.ratio').ranked.map((entry) => [entry.label, entry.schemeId, entry.value])).toEqual([['north', 'A', '0.900000'], ['south', 'A', '1.000000'], ['east', 'A', '1.105000']]);
    const design = body.roles.find((candidate: { allianceId: string; role: string }) => candidate.allianceId === 'north' && candidate.role === 'design');
    expect(design).toMatchObject({ partners: 2, costShare: '1500000.00', performance: '900000.00', total: '2400000.00', perPoundOfTarget: '0.024000' });
  });

  it('flags what weakens each row: a changed measurement, an incident with no partner, missing KPIs, cost after completion', async () => {
    const { body } = await service.http.get('/alliances/north/benchmark?year=2026').expect(200);
    const flags = (id: string) => body.alliances.find((row: Row) => row.allianceId === id).flags.map((flag: Row['flags'][number]) => [flag.code, flag.count, flag.periods]);
    expect(flags('north')).toEqual([]);
    expect(flags('south')).toEqual([
      ['measurements_changed', 1, ['2026-Q1']],
      ['incidents_without_partner', 1, ['2026-Q1']],
    ]);
    expect(flags('east')).toEqual([
      ['missing_kpis', 2, ['2026-Q1', '2026-Q2']],
      ['costs_after_completion', 1, ['2026-Q2']],
    ]);
  });

  it('shows a member of one alliance the others anonymised: no id, name, scheme id or period of theirs', async () => {
    const recorder = await service.as('rec@north');
    const { body, text } = await recorder.get('/alliances/north/benchmark').expect(200);
    expect(body.viewer).toEqual({ allianceId: 'north', named: false });
    expect(body.alliances.map((row: Row) => row.label).sort()).toEqual(['Alliance A', 'Alliance B', 'north']);
    for (const secret of ['south', 'east', 'Southern', 'Eastern', 'S-1']) expect(text).not.toContain(secret);
    const others = body.alliances.filter((row: Row) => row.label !== 'north');
    expect(others.every((row: Row & { periods: string[] }) => row.allianceId === null && row.name === null && row.periods.length === 0)).toBe(true);
    // Their figures and flags are still there to compare against, without their periods.
    expect(others.map((row: Row) => row.cost.ratio).sort()).toEqual(['1.000000', '1.105000']);
    expect(others.flatMap((row: Row) => row.flags).every((flag: Row['flags'][number]) => flag.periods.length === 0 && flag.count > 0)).toBe(true);
    const schemes = body.rankings.find((ranking: Ranking) => ranking.measure === 'scheme.ratio').ranked;
    expect(schemes.map((entry: Ranking['ranked'][number]) => entry.schemeId).sort()).toEqual(['A', 'scheme 1', 'scheme 1']);
    expect(body.alliances.find((row: Row) => row.label === 'north')).toMatchObject({ allianceId: 'north', name: 'Northern Highways Alliance' });
  });

  it('names every alliance to the benchmark role, which reads nothing else of the alliance; refuses strangers', async () => {
    const analyst = await service.as('analyst@framework');
    const { body } = await analyst.get('/alliances/north/benchmark').expect(200);
    expect(body.alliances.map((row: Row) => row.label).sort()).toEqual(['east', 'north', 'south']);
    expect((await analyst.get('/alliances/north/periods/2026-Q1/summary').expect(403)).body.code).toBe('forbidden');
    expect((await analyst.post('/alliances/north/commands').send({ command: 'RegisterScheme', data: { schemeId: 'X', name: 'X' } }).expect(403)).body.code).toBe('forbidden');
    const stranger = await service.as('nobody@elsewhere');
    expect((await stranger.get('/alliances/north/benchmark').expect(404)).body.code).toBe('alliance_not_found');
  });

  it('serves the benchmark as a page, anonymised the same way', async () => {
    const recorder = await service.as('rec@north');
    const page = (await recorder.get('/ui/alliances/north/benchmark').expect(200)).text;
    expect(page).toContain('Other alliances are anonymised');
    expect(page).toContain('Alliance A');
    expect(page).not.toContain('Southern');
    expect(page).toContain('missing_kpis');
    expect((await recorder.get('/alliances/north/benchmark?year=26').expect(400)).body.code).toBe('invalid_query');
  });

  it('shows an alliance its own data-quality flags on its page', async () => {
    const east = (await service.http.get('/ui/alliances/east').expect(200)).text;
    expect(east).toContain('<h2 id="data-quality">Data quality</h2>');
    expect(east).toMatch(/missing_kpis<\/span><\/td><td data-label="Count" class="num">2<\/td><td data-label="Periods">2026-Q1, 2026-Q2<\/td>/);
    expect(east).toContain('costs_after_completion');
    const north = (await service.http.get('/ui/alliances/north').expect(200)).text;
    expect(north).toContain('Data quality: no flags.');
  });
});
