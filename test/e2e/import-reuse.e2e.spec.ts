import { EVENT_STORE, EventStore, ReadStreamOptions, StoredEvent } from '../../src/event-store/event-store.port';
import { fixture, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

const SETUP = fixture('worked-example.ndjson').trim().split('\n').slice(0, 13).join('\n');
const cost = (costId: string, amount: string, schemeId = 'A', commandId?: string) => ({
  command: 'RecordDefinedCost',
  ...(commandId ? { commandId } : {}),
  data: { schemeId, periodId: '2026-Q1', costId, amount },
});

/** Counts the events read back from the store's streams while `work` runs. */
async function eventsReadDuring(store: EventStore, work: () => Promise<unknown>): Promise<number> {
  const readStream = store.readStream.bind(store);
  let read = 0;
  store.readStream = (streamName: string, options?: ReadStreamOptions) =>
    (async function* counted(): AsyncIterable<StoredEvent> {
      for await (const event of readStream(streamName, options)) {
        read += 1;
        yield event;
      }
    })();
  try {
    await work();
  } finally {
    store.readStream = readStream;
  }
  return read;
}

describe('imports reuse the streams earlier imports folded', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp();
  });
  afterAll(() => service.close());

  it('reads only what was appended since the last import, and sees what other writers appended', async () => {
    await importNdjson(service.http, 'reuse', SETUP).expect(200);
    const costs = Array.from({ length: 300 }, (_, index) => cost(`R-${index}`, '10.00', index % 2 === 0 ? 'A' : 'B'));
    await importNdjson(service.http, 'reuse', ndjson(...costs)).expect(200);

    const store = service.app.get<EventStore>(EVENT_STORE);
    const read = await eventsReadDuring(store, () => importNdjson(service.http, 'reuse', ndjson(cost('R-300', '10.00'), cost('R-301', '10.00', 'B'))).expect(200));
    expect(read).toBe(0);

    // A single command lands on scheme A between imports: the next import catches up by revision.
    await service.http.put('/alliances/reuse/schemes/A/costs/R-302').send({ periodId: '2026-Q1', amount: '10.00' }).expect(201);
    let refused: { status: number; body: { error: { line: number; code: string } } } | undefined;
    const caughtUp = await eventsReadDuring(store, async () => {
      refused = await importNdjson(service.http, 'reuse', ndjson(cost('R-302', '99.00')));
    });
    expect(refused).toMatchObject({ status: 409, body: { error: { line: 1, code: 'cost_line_conflict' } } });
    expect(caughtUp).toBe(1);
  });

  it('never hands on a line that was decided but not written', async () => {
    await importNdjson(service.http, 'linger', SETUP).expect(200);
    await service.http.post('/alliances/linger/safety/hours').set('Idempotency-Key', 'taken').send({ periodId: '2026-Q1', hours: '10' }).expect(201);
    // The append finds out that line 1 reuses a command id, after scheme A's state has folded the line.
    const stopped = await importNdjson(service.http, 'linger', ndjson(cost('L-1', '1.00', 'A', 'taken'))).expect(409);
    expect(stopped.body).toMatchObject({ status: 'stopped', recorded: 0, error: { line: 1, code: 'command_id_reused' } });

    const next = await importNdjson(service.http, 'linger', ndjson(cost('L-1', '2.00', 'A'))).expect(200);
    expect(next.body).toMatchObject({ recorded: 1, unchanged: 0 });
    const { body } = await service.http.get('/alliances/linger/events?limit=1000').expect(200);
    expect(body.events.filter((event: StoredEvent) => event.data.costId === 'L-1').map((event: StoredEvent) => event.data.amount)).toEqual(['2.00']);
  });
});
