import { fixture, importNdjson, startTestApp, TestApp } from '../support/test-app';

describe('commands over HTTP', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'sma', fixture('worked-example.ndjson')).expect(200);
  });
  afterAll(() => service.close());

  const pence = (amount: string) => BigInt(amount.replace('.', ''));
  const definedCostOfA = async (): Promise<string> =>
    (await service.http.get('/alliances/sma').expect(200)).body.schemes.find((scheme: { schemeId: string }) => scheme.schemeId === 'A').definedCost;
  const putCost = (costId: string, amount: string) => service.http.put(`/alliances/sma/schemes/A/costs/${costId}`).send({ periodId: '2026-Q1', amount });

  it('records a cost line, answering with the events, the revision and an ETag', async () => {
    const surveyor = await service.as('qs@alliance', { admin: true });
    const response = await surveyor.put('/alliances/sma/schemes/A/costs/REST-1').send({ periodId: '2026-Q1', amount: '1000.00' }).set('Idempotency-Key', 'valuation-1').set('X-Actor', 'someone-else').expect(201);
    expect(response.body).toMatchObject({ command: 'RecordDefinedCost', commandId: 'valuation-1', outcome: 'recorded', events: [{ type: 'DefinedCostRecorded' }] });
    expect(response.headers.etag).toBe(`"${response.body.revision}"`);
    const { body } = await service.http.get('/alliances/sma/events?stream=scheme.A&type=DefinedCostRecorded').expect(200);
    expect(body.events.pop()).toMatchObject({ data: { costId: 'REST-1', amount: '1000.00' }, metadata: { actor: 'qs@alliance', commandId: 'valuation-1' } });
  });

  it('treats a retry with the same Idempotency-Key as done, and refuses the key for other content', async () => {
    await putCost('KEY-1', '1000.00').set('Idempotency-Key', 'valuation-2').expect(201);
    const retry = await putCost('KEY-1', '1000.00').set('Idempotency-Key', 'valuation-2').expect(200);
    expect(retry.body).toMatchObject({ outcome: 'duplicate', events: [] });
    const misuse = await putCost('KEY-2', '5.00').set('Idempotency-Key', 'valuation-2').expect(409);
    expect(misuse.body).toMatchObject({ code: 'command_id_reused', errors: [{ field: 'commandId' }] });
  });

  it('answers the same cost line again without a key with "unchanged", and a different amount under its id with 409', async () => {
    await putCost('SAME-1', '1000.00').expect(201);
    expect((await putCost('SAME-1', '1000.00').expect(200)).body.outcome).toBe('unchanged');
    expect((await putCost('SAME-1', '1000.01').expect(409)).body).toMatchObject({ code: 'cost_line_conflict', errors: [{ field: 'costId' }] });
  });

  it('honours If-Match: 412 for a stale revision, 201 for the current one', async () => {
    const current = (await putCost('REST-3', '1.00').expect(201)).headers.etag;
    const stale = await putCost('REST-4', '1.00').set('If-Match', '"0"').expect(412);
    expect(stale.body).toMatchObject({ code: 'stale_revision', errors: [{ field: 'If-Match' }] });
    await putCost('REST-4', '1.00').set('If-Match', current).expect(201);
  });

  it('refuses a body that contradicts the path', async () => {
    const response = await service.http.put('/alliances/sma/schemes/A/costs/REST-5').send({ periodId: '2026-Q1', amount: '1.00', schemeId: 'B' }).expect(400);
    expect(response.body.errors).toEqual([{ field: 'schemeId', reason: 'is "B" in the body but "A" in the path' }]);
  });

  it('runs any command written as an import line', async () => {
    const response = await service.http
      .post('/alliances/sma/commands')
      .send({ command: 'RecordKpiMeasurement', commandId: 'carbon-restated', data: { kpiId: 'carbon', periodId: '2026-Q1', value: '22' } })
      .expect(201);
    expect(response.body.events).toEqual([expect.objectContaining({ type: 'KpiMeasurementRecorded' })]);
    const { body } = await service.http.get('/alliances/sma/periods/2026-Q1/summary').expect(200);
    expect(body.performance.kpis.find((kpi: { kpiId: string }) => kpi.kpiId === 'carbon')).toMatchObject({ value: '22.000000', score: '60.0000' });
  });

  it('loses no event when two service instances on the same data race on one scheme', async () => {
    const rival = await startTestApp({ dataDir: service.dataDir });
    try {
      const before = (await service.http.get('/alliances/sma/events?stream=scheme.A&limit=1000').expect(200)).body.events.length;
      const costBefore = await definedCostOfA();
      const write = (index: number) =>
        (index % 2 ? rival : service).http.put(`/alliances/sma/schemes/A/costs/RACE-${index}`).set('Idempotency-Key', `race-${index}`).send({ periodId: '2026-Q1', amount: '100.00' });
      const responses = await Promise.all(Array.from({ length: 30 }, (_, index) => write(index)));
      expect(responses.every((response) => response.status === 201 || response.status === 409)).toBe(true);
      const recordedFirstTime = responses.filter((response) => response.status === 201).length;
      const afterRace = (await service.http.get('/alliances/sma/events?stream=scheme.A&limit=1000').expect(200)).body.events;
      // Every acknowledged write is there, and a refused one left nothing behind.
      expect(afterRace).toHaveLength(before + recordedFirstTime);
      // A client retries its 409s with the same key until the ledger takes them.
      for (const [index, response] of responses.entries()) {
        let status = response.status;
        while (status === 409) status = (await write(index)).status;
        expect(status).toBe(201);
      }
      const events = (await service.http.get('/alliances/sma/events?stream=scheme.A&limit=1000').expect(200)).body.events;
      expect(events).toHaveLength(before + 30);
      expect(new Set(events.map((event: { revision: string }) => event.revision)).size).toBe(events.length);
      // 30 racing lines of 100.00 each, whatever other tests in this file recorded before.
      expect(pence(await definedCostOfA()) - pence(costBefore)).toBe(300000n);
    } finally {
      await rival.close();
    }
  });

  it('reports its health', async () => {
    const { body } = await service.http.get('/health').expect(200);
    expect(body).toMatchObject({ status: 'ok', eventStore: { status: 'up', kind: 'embedded' }, readModels: { status: 'up', kind: 'sqlite' } });
  });

  it('serves OpenAPI documentation with examples', async () => {
    const { body } = await service.http.get('/docs/openapi.json').expect(200);
    const route = body.paths['/alliances/{allianceId}/schemes/{schemeId}/costs/{costId}'].put;
    expect(route.requestBody.content['application/json'].examples.example.value).toMatchObject({ amount: '1250000.00' });
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/alliances/{allianceId}/imports', '/alliances/{allianceId}/periods/{periodId}/summary', '/health']));
  });
});
