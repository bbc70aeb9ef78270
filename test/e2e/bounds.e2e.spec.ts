import { importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

const TRILLION = '1000000000000.00';
const SCHEMES = Array.from({ length: 10 }, (_, index) => `S${index + 1}`);
const alliance = {
  command: 'FormAlliance',
  data: {
    name: 'Hostile input alliance',
    owner: 'National Highways',
    partners: [
      { partnerId: 'A1', name: 'Partner 1', role: 'delivery', allocationShare: '0.5', feeAtRisk: '1000000.00' },
      { partnerId: 'A2', name: 'Partner 2', role: 'design', allocationShare: '0.5', feeAtRisk: '1000000.00' },
    ],
    shareBands: [{ from: '0', share: '0.5' }],
    rewardPoolMax: '0.00',
    liabilityMax: '0.00',
  },
};
const q1 = { periodId: '2026-Q1' };

/** What the read side cannot hold, the write side refuses; what it accepts, PostgreSQL holds. */
describe('bounds on what the ledger accepts (PostgreSQL read models)', () => {
  let service: TestApp;
  /** The import that fills alliance hb to its bound; played once, and every test reads what it left. */
  const lines = [
    alliance,
    { command: 'OpenPeriod', data: { ...q1, startDate: '2026-01-01', endDate: '2026-03-31' } },
    ...[...SCHEMES, 'S11'].map((schemeId) => ({ command: 'RegisterScheme', data: { schemeId, name: `Scheme ${schemeId}` } })),
    ...SCHEMES.flatMap((schemeId) => [
      { command: 'SetTargetBaseline', data: { ...q1, schemeId, amount: TRILLION } },
      { command: 'RecordDefinedCost', data: { ...q1, schemeId, costId: 'BIG', amount: TRILLION } },
      { command: 'CompleteScheme', data: { ...q1, schemeId } },
    ]),
    { command: 'RecordDefinedCost', data: { ...q1, schemeId: 'S11', costId: 'PENNY', amount: '0.01' } },
    { command: 'RecordDefinedCost', data: { ...q1, schemeId: 'S11', costId: 'NEVER', amount: '1.00' } },
  ];
  let stopped: { status: string; error: { line: number; code: string; message: string }; recorded: number };
  beforeAll(async () => {
    service = await startTestApp({ readModels: 'postgres' });
    stopped = (await importNdjson(service.http, 'hb', ndjson(...lines)).expect(409)).body;
  });
  afterAll(() => service.close());

  const eventsOf = async (stream: string) => (await service.http.get(`/alliances/hb/events?stream=${stream}&limit=1000`).expect(200)).body.events;

  it("stops an import at the line that would take the alliance's recorded cost past its bound", async () => {
    const body = stopped;
    expect(body.status).toBe('stopped');
    expect(body.error).toMatchObject({ line: lines.length - 1, code: 'alliance_total_exceeds_bound', errors: [{ field: 'amount' }] });
    expect(body.error.message).toMatch(/at most 10000000000000\.00/);
    expect(body.recorded).toBe(lines.length - 2);
    expect(await eventsOf('scheme.S11')).toEqual([expect.objectContaining({ type: 'SchemeRegistered' })]);
  });

  it('keeps the PostgreSQL read models healthy at the largest totals accepted, with every figure there', async () => {
    const { body: summary } = await service.http.get('/alliances/hb/periods/2026-Q1/summary').expect(200);
    expect(summary.cost).toMatchObject({ target: '10000000000000.00', outturn: '10000000000000.00', variance: '0.00', ratio: '1.000000' });
    const { body: overview } = await service.http.get('/alliances/hb').expect(200);
    expect(overview.periods[0]).toMatchObject({ target: '10000000000000.00', outturn: '10000000000000.00' });
    expect(overview.schemes.find((scheme: { schemeId: string }) => scheme.schemeId === 'S1')).toMatchObject({ target: TRILLION, definedCost: TRILLION, outturn: TRILLION });
    const { body: health } = await service.http.get('/health').expect(200);
    expect(health.projection.lastError).toBeNull();
  });

  it("refuses a baseline that would take the alliance's recorded target past its bound, over HTTP, recording nothing", async () => {
    const response = await service.http.put('/alliances/hb/schemes/S11/baseline').send({ ...q1, amount: '0.01' }).expect(409);
    expect(response.body).toMatchObject({ code: 'alliance_total_exceeds_bound', errors: [{ field: 'amount', reason: expect.stringMatching(/target recorded/) }] });
    expect(await eventsOf('scheme.S11')).toHaveLength(1);
  });

  it("refuses a cost line past a scheme's bound", async () => {
    const response = await service.http.put('/alliances/hb/schemes/S1/costs/MORE').send({ ...q1, amount: '0.01' }).expect(409);
    expect(response.body).toMatchObject({ code: 'scheme_total_exceeds_bound', errors: [{ field: 'amount' }] });
  });

  it('refuses a single amount over the bound with 400, naming the field and the bound, and records nothing', async () => {
    const before = await eventsOf('scheme.S11');
    const response = await service.http.put('/alliances/hb/schemes/S11/costs/HUGE').send({ ...q1, amount: '1000000000000.01' }).expect(400);
    expect(response.body).toMatchObject({ code: 'invalid_command', errors: [{ field: 'amount', reason: expect.stringMatching(/at most 1000000000000\.00/) }] });
    const imported = await importNdjson(service.http, 'hb', ndjson({ command: 'RecordDefinedCost', data: { ...q1, schemeId: 'S11', costId: 'X', amount: '9999999999999.99' } })).expect(400);
    expect(imported.body.error).toMatchObject({ line: 1, errors: [{ field: 'data.amount' }] });
    expect(await eventsOf('scheme.S11')).toEqual(before);
  });

  it('refuses an incident dated outside its period', async () => {
    const response = await service.http.put('/alliances/hb/safety/incidents/INC-1').send({ ...q1, severity: 'riddor', occurredOn: '2026-04-01' }).expect(400);
    expect(response.body).toMatchObject({ errors: [{ field: 'occurredOn', reason: 'must lie within period 2026-Q1 (2026-01-01 to 2026-03-31)' }] });
    await service.http.put('/alliances/hb/safety/incidents/INC-1').send({ ...q1, severity: 'riddor', occurredOn: '2026-03-31' }).expect(201);
  });

  it("refuses a KPI measurement outside the KPI's bounds, naming the bound", async () => {
    await service.http
      .put('/alliances/hb/kpis/milestones')
      .send({ name: 'Milestones met', unit: '%', source: 'measured', poor: '80', mcos: '90', outstanding: '100', weight: '1', gate: false, min: '0', max: '100' })
      .expect(201);
    const low = await service.http.put('/alliances/hb/kpis/milestones/measurements/2026-Q1').send({ value: '-1' }).expect(400);
    expect(low.body).toMatchObject({ errors: [{ field: 'value', reason: 'must be at least 0, the lowest value KPI milestones takes' }] });
    await service.http.put('/alliances/hb/kpis/milestones/measurements/2026-Q1').send({ value: '100.5' }).expect(400);
    await service.http.put('/alliances/hb/kpis/milestones/measurements/2026-Q1').send({ value: '100' }).expect(201);
    expect(await eventsOf('measurements')).toHaveLength(1);
  });
});
