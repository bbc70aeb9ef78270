import { rawRequest } from '../support/raw-http';
import { fixture, importNdjson, startTestApp, TestApp } from '../support/test-app';

const SUMMARY = '/alliances/conv/periods/2026-Q1/summary';

/** What any client can rely on at the HTTP level, whichever framework serves it: routing, HEAD, validators, malformed paths. */
describe('HTTP conventions', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'conv', fixture('worked-example.ndjson')).expect(200);
  });
  afterAll(() => service.close());

  it('routes a path with a trailing slash, or in other letter case, as the path itself', async () => {
    const { body } = await service.http.get(SUMMARY).expect(200);
    expect((await service.http.get(`${SUMMARY}/`).expect(200)).body).toEqual(body);
    expect((await service.http.get('/Alliances/conv/Periods/2026-Q1/SUMMARY').expect(200)).body).toEqual(body);
  });

  it('answers HEAD with the headers of the GET and no body', async () => {
    const got = await service.http.get(SUMMARY).expect(200);
    const head = await service.http.head(SUMMARY).expect(200);
    expect(head.headers['content-type']).toBe(got.headers['content-type']);
    expect(head.headers['content-length']).toBe(got.headers['content-length']);
    expect(head.text ?? '').toBe('');
  });

  it('names an over-long id in the path rather than not finding the route', async () => {
    const response = await service.http.post(`/alliances/${'x'.repeat(150)}/imports`).set('Content-Type', 'application/x-ndjson').send('{}\n').expect(400);
    expect(response.body.errors).toEqual([{ field: 'allianceId', reason: expect.stringMatching(/1–64/) }]);
  });

  it('refuses a path that is not valid percent-encoding with 400 naming the path, with the usual headers', async () => {
    const response = await rawRequest(service.url, { method: 'GET', path: '/alliances/%E0%A4%A/events', headers: await service.headersFor('alice', { admin: true }) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'invalid_path', errors: [{ field: 'path', reason: expect.stringMatching(/percent-encoding/) }] });
    expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('labels every answer with a weak ETag of its bytes, and answers 304 to a client that has them', async () => {
    for (const [path, client] of [
      ['/assets/ledger.css', service.http],
      ['/alliances/conv/events?limit=2', service.http],
    ] as const) {
      const first = await client.get(path).expect(200);
      expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
      const again = await client.get(path).set('If-None-Match', first.headers.etag).expect(304);
      expect(again.text ?? '').toBe('');
      expect(again.headers['content-type']).toBeUndefined();
      // A reload asks for the whole answer.
      await client.get(path).set('If-None-Match', first.headers.etag).set('Cache-Control', 'no-cache').expect(200);
      await client.get(path).set('If-None-Match', 'W/"0-something-else"').expect(200);
    }
  });

  it('says how stale the read models are on every GET under /alliances and /ui the caller may read, downloads included, and not on a refusal', async () => {
    for (const path of [SUMMARY, '/ui/alliances/conv/exports/summaries.csv', '/alliances/conv/feed?limit=1']) {
      const { headers } = await service.http.get(path).expect(200);
      expect([path, headers['x-read-model-status']]).toEqual([path, 'current']);
      expect(headers['x-read-model-position']).toMatch(/^\d+\/\d+$/);
    }
    for (const [path, status] of [
      [SUMMARY, 401],
      ['/ui/alliances/conv', 303],
    ] as const) {
      const anonymous = await rawRequest(service.url, { method: 'GET', path });
      expect([path, anonymous.status, anonymous.headers['x-read-model-position']]).toEqual([path, status, undefined]);
    }
  });

  describe('a path spelt with percent-encoding or in other letter case is the route it names', () => {
    const PAGES = ['/%75i/alliances/conv', '/UI/alliances/conv', '/ui/%61lliances/conv'];

    it.each(PAGES)('sends a signed-out browser asking for %s to sign in, as for /ui/…', async (path) => {
      const answer = await rawRequest(service.url, { method: 'GET', path });
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe(`/auth/sign-in?returnTo=${encodeURIComponent(path)}`);
    });

    it('answers a refused page as a page, however its path is spelt', async () => {
      const answer = await rawRequest(service.url, { method: 'GET', path: '/%75i/alliances/conv/periods/2099-Q1', headers: await service.headersFor('alice', { admin: true }) });
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
    });

    it.each([...PAGES, '/%61lliances/conv/periods/2026-Q1/summary', '/ALLIANCES/conv/periods/2026-Q1/summary'])('says how stale the read models are on %s', async (path) => {
      const answer = await rawRequest(service.url, { method: 'GET', path, headers: await service.headersFor('alice', { admin: true }) });
      expect(answer.status).toBe(200);
      expect(answer.headers['x-read-model-status']).toBe('current');
    });
  });

  describe('OPTIONS', () => {
    it.each([
      [SUMMARY, 'GET, HEAD, OPTIONS'],
      [`${SUMMARY}?asAt=2026-01-01`, 'GET, HEAD, OPTIONS'],
      ['/%61lliances/conv/periods/2026-Q1/summary', 'GET, HEAD, OPTIONS'],
      ['/auth/login-link', 'GET, HEAD, POST, OPTIONS'],
      ['/alliances/conv/imports', 'POST, OPTIONS'],
    ])('answers OPTIONS %s with 204 and Allow: %s, without credentials, with the usual headers', async (path, allow) => {
      const answer = await rawRequest(service.url, { method: 'OPTIONS', path });
      expect(answer.status).toBe(204);
      expect(answer.headers.allow).toBe(allow);
      expect(answer.text).toBe('');
      expect(answer.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(answer.headers['x-request-id']).toEqual(expect.any(String));
    });

    it('answers OPTIONS on a path no route serves with 404', async () => {
      const answer = await rawRequest(service.url, { method: 'OPTIONS', path: '/nowhere/at/all' });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    });

    it('allows no cross-origin use: a CORS preflight gets no Access-Control-Allow-* headers', async () => {
      const answer = await rawRequest(service.url, {
        method: 'OPTIONS',
        path: '/alliances/conv/imports',
        headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
      });
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    });
  });
});
