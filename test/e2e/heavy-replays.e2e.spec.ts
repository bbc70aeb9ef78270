import { performance } from 'node:perf_hooks';
import { EVENT_STORE, EventStore } from '../../src/event-store/event-store.port';
import { MAX_RUNNING_REPLAYS, MAX_WAITING_REPLAYS } from '../../src/settlement/queries/replay-limiter';
import { streamNames } from '../../src/shared/stream-names';
import { fixture, importNdjson, startTestApp, TestApp } from '../support/test-app';

const SETUP = fixture('worked-example.ndjson').trim().split('\n').slice(0, 13).join('\n');
const COST_EVENTS = 100_000;

/** A large alliance written straight through the store port: far quicker than importing it. */
async function appendCosts(store: EventStore, allianceId: string, count: number): Promise<void> {
  const stream = streamNames.scheme(allianceId, 'A');
  let revision = (await store.headPosition({ streamNamePrefixes: [stream] })) === null ? -1n : undefined;
  if (revision === undefined) for await (const event of store.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 })) revision = event.revision;
  const recordedAt = new Date().toISOString();
  for (let start = 0; start < count; start += 2000) {
    const events = Array.from({ length: Math.min(2000, count - start) }, (_, index) => ({
      type: 'DefinedCostRecorded',
      data: { allianceId, schemeId: 'A', periodId: '2026-Q1', costId: `BULK-${start + index}`, amount: '1.00', description: null },
      metadata: { commandId: `bulk-${start + index}`, actor: 'test', recordedAt },
    }));
    const result = await store.append(stream, events, { expectedRevision: revision! });
    revision = result.nextExpectedRevision;
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('heavy replays of a large alliance', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'large', SETUP).expect(200);
    await importNdjson(service.http, 'medium', SETUP).expect(200);
    await appendCosts(service.app.get(EVENT_STORE), 'large', COST_EVENTS);
    await appendCosts(service.app.get(EVENT_STORE), 'medium', 10_000);
    const overview = await service.http.get('/alliances/large').expect(200);
    expect(overview.headers['x-read-model-status']).toBe('current');
  }, 240_000);
  afterAll(() => service.close());

  const asAt = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());

  it('keeps /health and ordinary reads answering while an explained asAt summary replays the alliance', async () => {
    let replaying = true;
    const replay = Promise.resolve(service.http.get(`/alliances/large/periods/2026-Q1/summary?explain=true&asAt=${asAt}`).expect(200)).finally(() => {
      replaying = false;
    });
    const latencies: number[] = [];
    while (replaying) {
      const started = performance.now();
      await service.http.get(latencies.length % 2 === 0 ? '/health' : '/alliances/large/periods/2026-Q1/summary').expect(200);
      latencies.push(performance.now() - started);
    }
    const { body } = await replay;
    expect(body).toMatchObject({ periodId: '2026-Q1', explanation: { figures: expect.any(Array) } });
    if (process.env.SHOW_LATENCIES) console.log(latencies.map((value) => Math.round(value)).join(" "));
    // Without yielding, one request gets through during the whole replay: that is what this test
    // catches, by count. The timing aim (p99 < 100 ms) is measured by `npm run bench -- --only
    // starvation` on a quiet machine; here, beside another Jest worker on two shared cores, only the
    // median is held to it, so a busy CI machine cannot turn a working service red.
    expect(latencies.length).toBeGreaterThan(20);
    expect(percentile(latencies, 50)).toBeLessThan(100);
  }, 240_000);

  it('runs a bounded number of replays at once, queues a few and refuses the rest with 503 and Retry-After', async () => {
    const requests = MAX_RUNNING_REPLAYS + MAX_WAITING_REPLAYS + 3;
    const responses = await Promise.all(Array.from({ length: requests }, () => service.http.get(`/alliances/medium/periods/2026-Q1/summary?asAt=${asAt}`)));
    const refused = responses.filter((response) => response.status === 503);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(MAX_RUNNING_REPLAYS + MAX_WAITING_REPLAYS);
    expect(refused).toHaveLength(3);
    for (const response of refused) {
      expect(response.body.code).toBe('replays_busy');
      expect(response.headers['retry-after']).toBe('5');
    }
    await service.http.get(`/alliances/medium/periods/2026-Q1/summary?asAt=${asAt}`).expect(200);
  }, 240_000);
});
