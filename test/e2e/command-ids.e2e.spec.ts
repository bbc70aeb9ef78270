import { EventStoreDbDouble } from '../eventstoredb-double/eventstoredb-double';
import { fixture, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

const SETUP = fixture('worked-example.ndjson')
  .trim()
  .split('\n')
  .filter((line) => !/RecordDefinedCost|DisallowCost|CompleteScheme|RecordHoursWorked|RecordKpiMeasurement|ReportSafetyIncident/.test(line))
  .join('\n');

describe.each([
  ['the embedded store', false],
  ['EventStoreDB (the wire-level double), where ids are claimed in streams of their own', true],
])('command ids are unique across an alliance, on %s', (_store, onEventStoreDb) => {
  let service: TestApp;
  let double: EventStoreDbDouble | undefined;
  beforeAll(async () => {
    if (onEventStoreDb) {
      double = new EventStoreDbDouble();
      await double.start();
    }
    service = await startTestApp(double ? { env: { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: double.connectionString } } : {});
  });
  afterAll(async () => {
    await service.close();
    await double?.stop();
  });

  const events = async (allianceId: string, type: string) =>
    (await service.http.get(`/alliances/${allianceId}/events?type=${type}&limit=100`).expect(200)).body.events as Array<{ data: Record<string, unknown>; metadata: Record<string, unknown> }>;

  it('records one fact for one key used on four different commands, and a retry of the first stays a duplicate', async () => {
    await importNdjson(service.http, 'keys', SETUP).expect(200);
    const key = 'invoice-4711';
    const first = await service.http.put('/alliances/keys/schemes/A/costs/C-1').set('Idempotency-Key', key).send({ periodId: '2026-Q1', amount: '100.00' }).expect(201);
    expect(first.body.outcome).toBe('recorded');

    const refused = [
      await service.http.put('/alliances/keys/schemes/B/costs/C-1').set('Idempotency-Key', key).send({ periodId: '2026-Q1', amount: '100.00' }),
      await service.http.post('/alliances/keys/safety/hours').set('Idempotency-Key', key).send({ periodId: '2026-Q1', hours: '10' }),
      await service.http.post('/alliances/keys/commands').send({ command: 'RecordKpiMeasurement', commandId: key, data: { kpiId: 'carbon', periodId: '2026-Q1', value: '20' } }),
    ];
    for (const response of refused) expect({ status: response.status, code: response.body.code }).toEqual({ status: 409, code: 'command_id_reused' });

    const retry = await service.http.put('/alliances/keys/schemes/A/costs/C-1').set('Idempotency-Key', key).send({ periodId: '2026-Q1', amount: '100.00' }).expect(200);
    expect(retry.body.outcome).toBe('duplicate');

    const imported = await importNdjson(service.http, 'keys', ndjson({ command: 'RecordDefinedCost', commandId: key, data: { schemeId: 'B', periodId: '2026-Q1', costId: 'C-2', amount: '5.00' } })).expect(409);
    expect(imported.body).toMatchObject({ status: 'stopped', recorded: 0, error: { line: 1, code: 'command_id_reused' } });

    const withKey = (await service.http.get('/alliances/keys/events?limit=1000').expect(200)).body.events.filter((event: { metadata: { commandId?: string } }) => event.metadata.commandId === key);
    expect(withKey).toHaveLength(1);
    expect(withKey[0]).toMatchObject({ type: 'DefinedCostRecorded', streamName: 'ledger.keys.scheme.A' });
    expect(await events('keys', 'HoursWorkedRecorded')).toHaveLength(0);
  });

  it('reports the import line that reused a key, keeping the lines before it on the same stream', async () => {
    await importNdjson(service.http, 'keys2', SETUP).expect(200);
    await service.http.post('/alliances/keys2/safety/hours').set('Idempotency-Key', 'taken').send({ periodId: '2026-Q1', hours: '10' }).expect(201);
    const cost = (costId: string, commandId: string) => ({ command: 'RecordDefinedCost', commandId, data: { schemeId: 'A', periodId: '2026-Q1', costId, amount: '1.00' } });
    const body = ndjson(cost('K-1', 'k-1'), cost('K-2', 'k-2'), cost('K-3', 'taken'), cost('K-4', 'k-4'));
    const stopped = await importNdjson(service.http, 'keys2', body).expect(409);
    expect(stopped.body).toMatchObject({ status: 'stopped', recorded: 2, error: { line: 3, code: 'command_id_reused' } });
    expect((await events('keys2', 'DefinedCostRecorded')).map((event) => event.data.costId)).toEqual(['K-1', 'K-2']);
  });

  it('stops at the second line of a file giving one key to commands on two streams, writing no line after it', async () => {
    await importNdjson(service.http, 'keys4', SETUP).expect(200);
    const cost = (schemeId: string, costId: string, commandId: string) => ({ command: 'RecordDefinedCost', commandId, data: { schemeId, periodId: '2026-Q1', costId, amount: '1.00' } });
    const hours = { command: 'RecordHoursWorked', commandId: 'shared', data: { periodId: '2026-Q1', hours: '10' } };
    const stopped = await importNdjson(service.http, 'keys4', ndjson(cost('A', 'K-1', 'shared'), cost('B', 'K-2', 'k-2'), hours, cost('B', 'K-3', 'k-3'))).expect(409);
    expect(stopped.body).toMatchObject({ status: 'stopped', recorded: 2, error: { line: 3, code: 'command_id_reused', errors: [{ field: 'commandId' }] } });
    expect(stopped.body.error.message).toContain('line 1');
    expect((await events('keys4', 'DefinedCostRecorded')).map((event) => event.data.costId)).toEqual(['K-1', 'K-2']);
    expect(await events('keys4', 'HoursWorkedRecorded')).toHaveLength(0);
  });

  it('lets another alliance use the same key', async () => {
    await importNdjson(service.http, 'keys3', SETUP).expect(200);
    await service.http.put('/alliances/keys3/schemes/A/costs/C-1').set('Idempotency-Key', 'invoice-4711').send({ periodId: '2026-Q1', amount: '100.00' }).expect(201);
  });
});
