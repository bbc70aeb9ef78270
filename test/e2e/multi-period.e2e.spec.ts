import { EntitySchema, ObjectLiteral } from 'typeorm';
import { READ_MODELS } from '../../src/read-models/read-models.token';
import { ReadModelStore } from '../../src/read-models/read-model-data-source';
import { SettlementProjector } from '../../src/settlement/read-models/settlement-projector';
import { MULTI_PERIOD, multiPeriodExpected } from '../support/multi-period';
import { importNdjson, ReadModelBackend, startTestApp, TestApp } from '../support/test-app';

const ALLIANCE = 'three-quarters';
const expected = multiPeriodExpected(ALLIANCE);

/** Every read-model row, sorted, with numbers as text: what a reporting tool would read. */
async function snapshot(readModels: ReadModelStore): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const [name, entity] of Object.entries(readModels.entities) as Array<[string, EntitySchema<ObjectLiteral>]>) {
    if (name === 'Checkpoint') continue;
    const rows = await readModels.dataSource.manager.find(entity);
    result[name] = rows.map((row) => JSON.parse(JSON.stringify(name === 'LedgerState' ? { ...row, updatedAt: undefined } : row))).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return result;
}

describe.each<ReadModelBackend>(['sqlite', 'postgres'])('three quarters worked by hand, read models on %s', (backend) => {
  // The scenario is a sequence (Q1 closed, then Q2, then Q3), so it is played once, here, and each
  // quarter's summary is kept as it stood when that quarter's facts were in. Every test reads
  // that record or the final state and passes run alone.
  let service: TestApp;
  const asRecorded: Partial<Record<'2026-Q1' | '2026-Q2' | '2026-Q3', unknown>> = {};
  beforeAll(async () => {
    service = await startTestApp({ readModels: backend });
    const quarters = [
      ['2026-Q1', MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1],
      ['2026-Q2', MULTI_PERIOD.q2],
      ['2026-Q3', MULTI_PERIOD.q3],
    ] as const;
    for (const [periodId, lines] of quarters) {
      await importNdjson(service.http, ALLIANCE, lines).expect(200);
      asRecorded[periodId] = (await service.http.get(`/alliances/${ALLIANCE}/periods/${periodId}/summary`).expect(200)).body;
    }
  });
  afterAll(() => service.close());

  it('gains in Q1 and certifies it', () => {
    expect(asRecorded['2026-Q1']).toEqual(expected['2026-Q1']);
  });

  it('refuses a fact for the closed quarter and records nothing', async () => {
    const before = await service.http.get(`/alliances/${ALLIANCE}/events?stream=scheme.A`).expect(200);
    const refused = await service.http
      .put(`/alliances/${ALLIANCE}/schemes/A/costs/A-LATE`)
      .send({ periodId: '2026-Q1', amount: '1.00' })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'period_closed', errors: [{ field: 'periodId' }] });
    const after = await service.http.get(`/alliances/${ALLIANCE}/events?stream=scheme.A`).expect(200);
    expect(after.body.events).toHaveLength(before.body.events.length);
  });

  it('turns to pain in Q2 with a late cost on a completed scheme and a reversal; a fatality gates the performance', () => {
    expect(asRecorded['2026-Q2']).toEqual(expected['2026-Q2']);
  });

  it('hits the pain cap in Q3, provisionally', async () => {
    expect(asRecorded['2026-Q3']).toEqual(expected['2026-Q3']);
    const statement = await service.http.get(`/alliances/${ALLIANCE}/periods/2026-Q3/statements/P`).expect(200);
    expect(statement.body).toMatchObject({
      costShare: '-2600000.00',
      total: '-2450000.00',
      cumulative: { costShare: '-3000000.00', previousCostShare: '-400000.00' },
      alliance: { partnersShare: '-30000000.00', previousPartnersShare: '-4000000.00', capApplied: 'pain' },
    });
  });

  it('never changes a certified quarter', async () => {
    const { body } = await service.http.get(`/alliances/${ALLIANCE}/periods/2026-Q1/summary`).expect(200);
    expect(body).toEqual(expected['2026-Q1']);
    expect(body).toEqual(asRecorded['2026-Q1']);
  });

  it('explains Q2’s outturn and gate by the events behind them', async () => {
    const { body } = await service.http.get(`/alliances/${ALLIANCE}/periods/2026-Q2/summary?explain=true`).expect(200);
    const figure = (name: string) => body.explanation.figures.find((item: { figure: string }) => item.figure === name);
    const outturn = figure('cost.outturn');
    expect(outturn.value).toBe('158000000.00');
    expect(outturn.events.map((event: { type: string; effect: { outturn: string } }) => `${event.type} ${event.effect.outturn}`)).toEqual([
      'DefinedCostRecorded 60000000.00',
      'DefinedCostRecorded 30000000.00',
      'DefinedCostRecorded 20000000.00',
      'DefinedCostRecorded 5000000.00',
      'DefinedCostReversed -30000000.00',
      'DefinedCostRecorded 28000000.00',
      'DefinedCostRecorded 45000000.00',
    ]);
    expect(figure('performance.gated').events.map((event: { type: string; effect: object }) => [event.type, event.effect])).toEqual([
      ['SafetyIncidentReported', { incidentId: 'INC-Q2-F', severity: 'fatality' }],
    ]);
    expect(figure('cost.previousPartnersShare').events[0]).toMatchObject({ type: 'PeriodClosed' });
  });

  it('rebuilds every read model from the events to exactly what the live projection holds', async () => {
    const readModels = service.app.get<ReadModelStore>(READ_MODELS);
    await service.app.get(SettlementProjector).waitUntilCurrent();
    const live = await snapshot(readModels);
    expect(live.PeriodSummary).toHaveLength(3);
    const rebuilt = await service.app.get(SettlementProjector).rebuild();
    expect(rebuilt.alliances).toBe(1);
    expect(await snapshot(readModels)).toEqual(live);
  });
});

describe('SQLite and PostgreSQL read models', () => {
  it('hold the same figures after the same three quarters', async () => {
    const figures = await Promise.all(
      (['sqlite', 'postgres'] as const).map(async (backend) => {
        const service = await startTestApp({ readModels: backend });
        try {
          await importNdjson(service.http, ALLIANCE, MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1 + MULTI_PERIOD.q2 + MULTI_PERIOD.q3).expect(200);
          await service.app.get(SettlementProjector).waitUntilCurrent();
          // The internal ledger row holds each run's certification times; the figures are what must agree.
          const { LedgerState: _internal, ...rows } = await snapshot(service.app.get<ReadModelStore>(READ_MODELS));
          return rows;
        } finally {
          await service.close();
        }
      }),
    );
    expect(figures[0].PeriodSummary).toHaveLength(3);
    expect(figures[1]).toEqual(figures[0]);
  });
});
