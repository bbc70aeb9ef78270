import { MULTI_PERIOD } from '../support/multi-period';
import { importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

interface FeedEvent {
  id: string;
  type: string;
  position: string;
}

/** Reads server-sent events until `count` have arrived, then hangs up, as a consumer that stops mid-stream. */
async function readEvents(service: TestApp, count: number, lastEventId?: string, whileConnected?: () => Promise<void>): Promise<FeedEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${service.url}/alliances/tq/feed`, {
    headers: { ...(await service.headersFor('reader@tq')), Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: FeedEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  let sideEffect: Promise<void> | undefined;
  const reader = response.body!.getReader();
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended after ${events.length} events`);
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0 && events.length < count) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((line) => !line.startsWith(':') && line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
        if (fields.id === undefined) continue;
        const data = JSON.parse(fields.data) as { position: string; type: string };
        expect(data.position).toBe(fields.id);
        events.push({ id: fields.id, type: fields.event, position: data.position });
      }
      if (whileConnected && !sideEffect) sideEffect = whileConnected();
    }
  } finally {
    controller.abort();
    await sideEffect;
  }
  return events;
}

describe('the event feed', () => {
  let service: TestApp;
  let history: string[];

  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1).expect(200);
    await service.http.post('/alliances/tq/access/grants').send({ subject: 'reader@tq', role: 'reporting' }).expect(201);
    const { body } = await service.http.get('/alliances/tq/events?limit=1000').expect(200);
    history = body.events.map((event: { position: string }) => event.position);
    expect(history.length).toBeGreaterThan(15);
  });
  afterAll(() => service.close());

  it('pages from a checkpoint by position, each page’s next the checkpoint of the one after, to the end', async () => {
    const reader = await service.as('reader@tq');
    const seen: string[] = [];
    let next: string | null = null;
    for (let pages = 0; pages < 10; pages += 1) {
      const { body }: { body: { events: Array<{ position: string }>; next: string | null } } = await reader.get(`/alliances/tq/feed?limit=4${next ? `&after=${next}` : ''}`).expect(200);
      if (body.events.length === 0) {
        expect(body.next).toBe(next);
        break;
      }
      seen.push(...body.events.map((event) => event.position));
      next = body.next;
    }
    expect(seen).toEqual(history);
  });

  it('holds a long poll at the head until the next event is written, and answers it', async () => {
    const reader = await service.as('reader@tq');
    const head = history[history.length - 1];
    const polled = reader.get(`/alliances/tq/feed?after=${head}&wait=20`).expect(200);
    const written = importNdjson(service.http, 'tq', ndjson({ command: 'RecordKpiMeasurement', data: { periodId: '2026-Q1', kpiId: 'milestones', value: '96' } })).expect(200);
    const [{ body }] = await Promise.all([polled, written]);
    expect(body.events.map((event: { type: string }) => event.type)).toEqual(['KpiMeasurementRecorded']);
    expect(body.next).toBe(body.events[0].position);
    history.push(body.events[0].position);
    const idle = await reader.get(`/alliances/tq/feed?after=${body.next}&wait=0`).expect(200);
    expect(idle.body).toEqual({ allianceId: 'tq', events: [], next: body.next });
  });

  it('streams server-sent events; a consumer restarted mid-stream resumes from Last-Event-ID with no gap and no duplicate', async () => {
    const first = await readEvents(service, 7);
    const live = ndjson({ command: 'RecordKpiMeasurement', data: { periodId: '2026-Q1', kpiId: 'milestones', value: '97' } });
    // The rest of the history, then an event written while the second connection is open.
    const rest = await readEvents(service, history.length - 7 + 1, first[first.length - 1].id, async () => {
      await importNdjson(service.http, 'tq', live).expect(200);
    });
    const all = [...first, ...rest].map((event) => event.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, history.length)).toEqual(history);
    expect(rest[rest.length - 1].type).toBe('KpiMeasurementRecorded');
  });

  it('refuses a checkpoint that is not a position and a wait beyond 30 seconds', async () => {
    expect((await service.http.get('/alliances/tq/feed?after=yesterday').expect(400)).body.code).toBe('invalid_query');
    expect((await service.http.get('/alliances/tq/feed?wait=31').expect(400)).body.code).toBe('invalid_query');
  });
});
