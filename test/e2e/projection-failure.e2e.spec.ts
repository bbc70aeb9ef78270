import { READ_MODELS } from '../../src/read-models/read-models.token';
import { ReadModelStore } from '../../src/read-models/read-model-data-source';
import { SettlementProjector } from '../../src/settlement/read-models/settlement-projector';
import { snapshotReadModels } from '../support/read-model-snapshot';
import { fixture, importNdjson, ReadModelBackend, startTestApp, TestApp } from '../support/test-app';

const SETUP = fixture('worked-example.ndjson').trim().split('\n').slice(0, 13).join('\n');

/** A read-model fault the projection cannot get past: any scheme_positions row for scheme POISON is refused. */
const FAULT: Record<ReadModelBackend, { add: (schema: string) => string[]; remove: (schema: string) => string[] }> = {
  sqlite: {
    add: () => [`CREATE TRIGGER poison BEFORE INSERT ON scheme_positions WHEN NEW.scheme_id = 'POISON' BEGIN SELECT RAISE(ABORT, 'injected fault'); END`],
    remove: () => ['DROP TRIGGER poison'],
  },
  postgres: {
    add: (schema) => [
      `CREATE FUNCTION "${schema}".poison() RETURNS trigger AS $$ BEGIN IF NEW.scheme_id = 'POISON' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER poison BEFORE INSERT OR UPDATE ON "${schema}".scheme_positions FOR EACH ROW EXECUTE FUNCTION "${schema}".poison()`,
    ],
    remove: (schema) => [`DROP TRIGGER poison ON "${schema}".scheme_positions`],
  },
};

async function healthUntil(service: TestApp, status: string, timeoutMs = 15000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await service.http.get('/health');
    if (body.status === status) return body;
    if (Date.now() > deadline) throw new Error(`health stayed ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each<ReadModelBackend>(['sqlite', 'postgres'])('a projection that fails on an event (%s read models)', (backend) => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp({ readModels: backend });
  });
  afterAll(() => service.close());

  it('says degraded naming the event, serves reads with their staleness, and catches up without skipping or repeating once the fault is gone', async () => {
    const readModels = service.app.get<ReadModelStore>(READ_MODELS);
    const schema = service.config.readModels.schema ?? 'public';
    await importNdjson(service.http, 'stuck', SETUP).expect(200);
    const fresh = await service.http.get('/alliances/stuck/periods/2026-Q1/summary').expect(200);
    expect(fresh.headers).toMatchObject({ 'x-read-model-status': 'current', 'x-read-model-lag': '0' });

    for (const statement of FAULT[backend].add(schema)) await readModels.dataSource.query(statement);
    await service.http.put('/alliances/stuck/schemes/POISON').send({ name: 'Poison' }).expect(201);
    await service.http.put('/alliances/stuck/schemes/A/costs/AFTER-1').send({ periodId: '2026-Q1', amount: '1000.00' }).expect(201);

    const degraded = await healthUntil(service, 'degraded');
    expect(degraded.projection.failure).toMatchObject({
      event: { streamName: 'ledger.stuck.scheme.POISON', revision: '0', type: 'SchemeRegistered', position: expect.any(String) },
      error: expect.stringMatching(/injected fault/),
    });
    expect(degraded.message).toMatch(/failing at SchemeRegistered ledger\.stuck\.scheme\.POISON@0 .*injected fault/);
    expect(degraded.projection.freshness).toMatchObject({ status: 'failing', checkpoint: degraded.projection.checkpoint });

    // A stuck projection is reported at once: the read does not wait for progress that cannot come.
    const waitsForProgress = jest.spyOn(service.app.get(SettlementProjector) as unknown as { nextProgress(ms: number): Promise<void> }, 'nextProgress');
    const stale = await service.http.get('/alliances/stuck').expect(200);
    expect(waitsForProgress).not.toHaveBeenCalled();
    waitsForProgress.mockRestore();
    expect(stale.headers['x-read-model-status']).toBe('failing');
    expect(stale.headers['x-read-model-position']).toBe(degraded.projection.checkpoint);
    expect(Number(stale.headers['x-read-model-lag'])).toBeGreaterThanOrEqual(0);
    expect(stale.body.schemes.map((scheme: { schemeId: string }) => scheme.schemeId)).toEqual(['A', 'B']);

    for (const statement of FAULT[backend].remove(schema)) await readModels.dataSource.query(statement);
    const healed = await healthUntil(service, 'ok');
    expect(healed.projection).toMatchObject({ failure: null, freshness: { status: 'current', lagSeconds: 0 } });
    const caughtUp = await service.http.get('/alliances/stuck').expect(200);
    expect(caughtUp.headers['x-read-model-status']).toBe('current');
    expect(caughtUp.body.schemes.map((scheme: { schemeId: string; definedCost: string }) => [scheme.schemeId, scheme.definedCost])).toEqual([
      ['A', '1000.00'],
      ['B', '0.00'],
      ['POISON', '0.00'],
    ]);

    const live = await snapshotReadModels(readModels, { withLedgerState: true });
    await service.app.get(SettlementProjector).rebuild();
    expect(await snapshotReadModels(readModels, { withLedgerState: true })).toEqual(live);
  });
});
