import { READ_MODELS } from '../../src/read-models/read-models.token';
import { ReadModelStore } from '../../src/read-models/read-model-data-source';
import { SettlementProjector } from '../../src/settlement/read-models/settlement-projector';
import { EventStoreDbDouble } from '../eventstoredb-double/eventstoredb-double';
import { MULTI_PERIOD, multiPeriodExpected } from '../support/multi-period';
import { HeldPort } from '../support/held-port';
import { waitFor } from '../support/service-process';
import { fixture, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';
import { workedExampleSummary } from '../support/worked-example';

const onEventStoreDb = (double: EventStoreDbDouble) => ({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: double.connectionString });

/** A running double and a service on it holding the worked example, projected. */
async function serviceWithWorkedExample(): Promise<{ double: EventStoreDbDouble; service: TestApp }> {
  const double = new EventStoreDbDouble();
  await double.start();
  const service = await startTestApp({ env: onEventStoreDb(double) });
  await importNdjson(service.http, 'sma', fixture('worked-example.ndjson')).expect(200);
  await service.http.get('/alliances/sma/periods/2026-Q1/summary').expect(200);
  return { double, service };
}

describe('the full service on EventStoreDB (through the real client, against the wire-level double)', () => {
  describe('gives the same figures as on the embedded store', () => {
    const double = new EventStoreDbDouble();
    let onDouble: TestApp;
    let embedded: TestApp;
    beforeAll(async () => {
      await double.start();
      [onDouble, embedded] = await Promise.all([startTestApp({ env: onEventStoreDb(double) }), startTestApp()]);
    });
    afterAll(async () => {
      await Promise.all([onDouble.close(), embedded.close()]);
      await double.stop();
    });

    it('for the worked example', async () => {
      for (const service of [onDouble, embedded]) await importNdjson(service.http, 'sma', fixture('worked-example.ndjson')).expect(200);
      const [fromDouble, fromEmbedded] = await Promise.all([onDouble, embedded].map((service) => service.http.get('/alliances/sma/periods/2026-Q1/summary').expect(200)));
      expect(fromDouble.body).toEqual(workedExampleSummary('sma', 'provisional'));
      expect(fromDouble.body).toEqual(fromEmbedded.body);
    });

    it('for three quarters with certification, a reversal, a gate and the pain cap', async () => {
      const expected = multiPeriodExpected('tq');
      for (const service of [onDouble, embedded]) {
        await importNdjson(service.http, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1 + MULTI_PERIOD.q2 + MULTI_PERIOD.q3).expect(200);
      }
      for (const periodId of ['2026-Q1', '2026-Q2', '2026-Q3'] as const) {
        const [fromDouble, fromEmbedded] = await Promise.all([onDouble, embedded].map((service) => service.http.get(`/alliances/tq/periods/${periodId}/summary`).expect(200)));
        expect(fromDouble.body).toEqual(expected[periodId]);
        expect(fromDouble.body).toEqual(fromEmbedded.body);
      }
      const check = await onDouble.http.get('/alliances/tq/periods/2026-Q2/certificate').expect(200);
      expect(check.body).toMatchObject({ digestMatches: true, figuresMatch: true });
      const statement = await onDouble.http.get('/alliances/tq/periods/2026-Q3/statements/S1?explain=true').expect(200);
      expect(statement.body).toMatchObject({ costShare: '-5200000.00', total: '-4900000.00' });
    });

    it('ignores system events and other applications’ streams', async () => {
      await importNdjson(onDouble.http, 'fx', fixture('worked-example.ndjson')).expect(200);
      double.appendRaw('ledger-archive', 'DefinedCostRecorded', { schemeId: 'A', periodId: '2026-Q1', costId: 'FOREIGN', amount: '99.00' });
      double.appendRaw('$et-DefinedCostRecorded', '$>', '1@ledger.fx.scheme.A');
      await onDouble.http.put('/alliances/fx/schemes/A/costs/AFTER-FOREIGN').send({ periodId: '2026-Q1', amount: '1.00' }).expect(201);
      const { body } = await onDouble.http.get('/alliances/fx/periods/2026-Q1/summary').expect(200);
      expect(body.cost.outturn).toBe('494000001.00');
      const events = await onDouble.http.get('/alliances/fx/events?limit=1000').expect(200);
      expect(events.body.events.length).toBeGreaterThan(0);
      expect(events.body.events.every((event: { streamName: string }) => event.streamName.startsWith('ledger.fx.'))).toBe(true);
    });
  });

  describe('faults', () => {
    it('answers 503 while EventStoreDB is down at start-up, and works once it comes', async () => {
      const double = new EventStoreDbDouble();
      // The service must know the address before EventStoreDB is up: a port held for it refuses connections until then.
      const port = await HeldPort.open();
      const connection = { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port.port}?tls=false` };
      const service = await startTestApp({ env: connection });
      try {
        const health = await service.http.get('/health').expect(503);
        expect(health.body).toMatchObject({ message: 'event store is down', eventStore: { status: 'down', kind: 'eventstoredb' }, readModels: { status: 'up' } });
        // Answered while the store is still down: a service that waited for it would never answer here.
        const refused = await importNdjson(service.http, 'sma', fixture('worked-example.ndjson')).expect(503);
        expect(refused.body.error).toMatchObject({ line: 1, code: 'event_store_unavailable' });

        await double.start();
        port.forwardTo(double.port);
        await waitFor(async () => (await service.http.get('/health')).status === 200, 20000, 'health to recover');
        await importNdjson(service.http, 'sma', fixture('worked-example.ndjson')).expect(200);
        const { body } = await service.http.get('/alliances/sma/periods/2026-Q1/summary').expect(200);
        expect(body).toEqual(workedExampleSummary('sma', 'provisional'));
      } finally {
        await service.close();
        await double.stop();
        await port.close();
      }
    });

    it('fails commands fast while EventStoreDB is away mid-run, and its subscription resumes without a gap or a duplicate', async () => {
      const { double, service } = await serviceWithWorkedExample();
      try {
        await double.stop();
        expect((await service.http.get('/health').expect(503)).body.eventStore.status).toBe('down');
        // Answered while the store is still down (it comes back only below), not held until it returns.
        const refused = await service.http.put('/alliances/sma/schemes/A/costs/DURING-OUTAGE').send({ periodId: '2026-Q1', amount: '1000.00' }).expect(503);
        expect(refused.body).toMatchObject({ code: 'event_store_unavailable' });
        // Statements are still served from the read models while the store is away.
        expect((await service.http.get('/alliances/sma/periods/2026-Q1/summary').expect(200)).body.cost.outturn).toBe('494000000.00');

        await double.start();
        await waitFor(async () => (await service.http.get('/health')).status === 200, 20000, 'health to recover');
        await service.http.put('/alliances/sma/schemes/A/costs/AFTER-OUTAGE').send({ periodId: '2026-Q1', amount: '1000.00' }).expect(201);
        await service.http.put('/alliances/sma/schemes/B/costs/AFTER-OUTAGE').send({ periodId: '2026-Q1', amount: '500.00' }).expect(201);
        const { body } = await service.http.get('/alliances/sma/periods/2026-Q1/summary').expect(200);
        expect(body.cost.outturn).toBe('494001500.00');
        const ledger = await service.http.get('/alliances/sma/events?limit=1000').expect(200);
        expect(service.app.get(SettlementProjector).status()).toMatchObject({ running: true });
        expect(ledger.body.events).toHaveLength(29);
        // The projection folded each of the 29 events exactly once across the outage.
        const readModels = service.app.get<ReadModelStore>(READ_MODELS);
        const [row] = await readModels.dataSource.manager.find(readModels.entities.LedgerState);
        expect(row.eventCount).toBe(29);
      } finally {
        await service.close();
        await double.stop();
      }
    });

    it('resumes a live subscription after a dropped connection from its checkpoint', async () => {
      const { double, service } = await serviceWithWorkedExample();
      try {
        await double.stop();
        await double.start();
        // Written by another instance while this one was reconnecting: it must arrive exactly once.
        const rival = await startTestApp({ env: onEventStoreDb(double), readModels: 'sqlite' });
        await importNdjson(rival.http, 'sma', ndjson({ command: 'RecordDefinedCost', data: { schemeId: 'B', periodId: '2026-Q1', costId: 'B-RIVAL', amount: '250.00' } })).expect(200);
        await rival.close();
        await waitFor(async () => (await service.http.get('/alliances/sma/periods/2026-Q1/summary')).body.cost?.outturn === '494000250.00', 20000, 'the event to be projected');
        const state = await service.http.get('/alliances/sma').expect(200);
        expect(state.body.schemes.find((scheme: { schemeId: string }) => scheme.schemeId === 'B').definedCost).toBe('196000250.00');
      } finally {
        await service.close();
        await double.stop();
      }
    });
  });
});
