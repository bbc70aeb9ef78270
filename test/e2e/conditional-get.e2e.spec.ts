import { QueryBus } from '@nestjs/cqrs';
import { fixture, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

const WORKED_EXAMPLE = fixture('worked-example.ndjson');
const SUMMARY = '/alliances/cond/periods/2026-Q1/summary';
const STATEMENT = '/alliances/cond/periods/2026-Q1/statements/P';

describe('conditional GET of figures (ETag from the read-model version)', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'cond', WORKED_EXAMPLE).expect(200);
    await importNdjson(service.http, 'elsewhere', WORKED_EXAMPLE).expect(200);
  });
  afterAll(() => service.close());

  it('labels summaries, statements and the overview, and answers 304 with no body while nothing changed', async () => {
    for (const path of [SUMMARY, STATEMENT, '/alliances/cond']) {
      const first = await service.http.get(path).expect(200);
      expect(first.headers.etag).toMatch(/^W\/".+"$/);
      expect(first.headers['cache-control']).toBe('private, no-cache');
      const queries = jest.spyOn(service.app.get(QueryBus), 'execute');
      const again = await service.http.get(path).set('If-None-Match', first.headers.etag).expect(304);
      // Not read at all: the version alone answers.
      expect(queries).not.toHaveBeenCalled();
      queries.mockRestore();
      expect(again.text ?? '').toBe('');
      expect(again.headers.etag).toBe(first.headers.etag);
      await service.http.get(path).set('If-None-Match', 'W/"something-else"').expect(200);
    }
  });

  it('answers in full once the alliance changes, and not when another alliance does', async () => {
    const before = await service.http.get(SUMMARY).expect(200);
    await importNdjson(service.http, 'elsewhere', ndjson({ command: 'RecordKpiMeasurement', data: { kpiId: 'carbon', periodId: '2026-Q1', value: '12' } })).expect(200);
    await service.http.get(SUMMARY).set('If-None-Match', before.headers.etag).expect(304);

    await importNdjson(service.http, 'cond', ndjson({ command: 'RecordKpiMeasurement', data: { kpiId: 'carbon', periodId: '2026-Q1', value: '12' } })).expect(200);
    const after = await service.http.get(SUMMARY).set('If-None-Match', before.headers.etag).expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body).not.toEqual(before.body);
    expect(after.body.performance.kpis.find((kpi: { kpiId: string }) => kpi.kpiId === 'carbon').value).toBe('12.000000');
  });

  it("answers 304 to a browser's fetch, which adds Cache-Control: no-cache to a request carrying If-None-Match", async () => {
    const { headers } = await service.http.get(SUMMARY).expect(200);
    const again = await fetch(`${service.url}${SUMMARY}`, { headers: { ...(await service.headersFor('test-admin', { admin: true })), 'If-None-Match': headers.etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('checks access before answering 304', async () => {
    const { headers } = await service.http.get(STATEMENT).expect(200);
    const stranger = await service.as('stranger@example.com');
    await stranger.get(STATEMENT).set('If-None-Match', headers.etag).expect(404);
  });

  it('leaves answers about the past and explanations to be computed', async () => {
    const asAt = encodeURIComponent(new Date().toISOString());
    const { headers } = await service.http.get(SUMMARY).expect(200);
    await service.http.get(`${SUMMARY}?asAt=${asAt}`).set('If-None-Match', headers.etag).expect(200);
    await service.http.get(`${SUMMARY}?explain=true`).set('If-None-Match', headers.etag).expect(200);
  });
});
