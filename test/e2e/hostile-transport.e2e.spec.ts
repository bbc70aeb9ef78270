import { connect, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Logger } from '@nestjs/common';
import { generatedBytes, rawRequest } from '../support/raw-http';
import { fixture, importNdjson, startTestApp, TestApp } from '../support/test-app';

const MB = 1024 * 1024;
const WORKED_EXAMPLE = fixture('worked-example.ndjson');

describe('hostile transport', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'edge', WORKED_EXAMPLE).expect(200);
  });
  afterAll(() => service.close());

  const eventCount = async () => (await service.http.get('/alliances/edge/events?limit=1000').expect(200)).body.events.length;
  const send = async (options: Parameters<typeof rawRequest>[1]) =>
    rawRequest(service.url, { ...options, headers: { ...(await service.headersFor('alice', { admin: true })), ...options.headers } });
  const cost = (costId: string, extra = '') => `{"schemeId":"A","periodId":"2026-Q1","costId":"${costId}","amount":"10.00"${extra}}`;

  describe('1. a huge NDJSON line', () => {
    it('is refused with 413 and its line number as soon as it passes the limit, in bounded memory, and the service carries on', async () => {
      const before = process.memoryUsage().rss;
      let sent = 0;
      const body = (async function* () {
        for await (const chunk of generatedBytes(600 * MB, 'a', '{"command":"OpenPeriod","data":{"periodId":"2026-Q2","startDate":"2026-04-01","endDate":"2026-06-30"}}\n{"command":"')) {
          sent += chunk.length;
          yield chunk;
        }
      })();
      const response = await send({ path: '/alliances/edge/imports', headers: { 'Content-Type': 'application/x-ndjson' }, body });
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({
        status: 'stopped',
        linesRead: 2,
        error: { line: 2, code: 'line_too_long', errors: [{ field: 'line', reason: expect.stringMatching(/longer than 1048576 bytes \(LEDGER_MAX_IMPORT_LINE_BYTES\)/) }] },
      });
      // As soon as it passed the limit: the answer came when a small part of the 600 MB had been
      // sent (the client sends only as fast as the service reads), however fast the machine.
      expect(sent).toBeLessThan(100 * MB);
      expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
      await service.http.get('/health').expect(200);
    });
  });

  describe('2. malformed transport', () => {
    it.each([
      ['a JSON body over the limit', { 'Content-Type': 'application/json' }, () => generatedBytes(2 * MB, ' ', '{"name":"x"'), 413, 'body_too_large'],
      ['a gzip bomb', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, () => gzipSync(Buffer.alloc(50 * MB, ' ')), 413, 'body_too_large'],
      ['corrupt gzip', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, () => 'not gzip', 400, 'invalid_encoding'],
      ['Content-Encoding: foo', { 'Content-Type': 'application/json', 'Content-Encoding': 'foo' }, () => '{"name":"x"}', 415, 'unsupported_encoding'],
      ['charset=latin-99', { 'Content-Type': 'application/json; charset=latin-99' }, () => '{"name":"x"}', 415, 'unsupported_charset'],
      ['JSON nested 10,000 deep', { 'Content-Type': 'application/json' }, () => '{"name":'.repeat(10000) + '1' + '}'.repeat(10000), 400, 'invalid_json'],
      ['invalid UTF-8', { 'Content-Type': 'application/json' }, () => Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), 400, 'invalid_utf8'],
    ])('refuses %s with a 4xx and a code, recording nothing', async (_, headers, body, status, code) => {
      const before = await eventCount();
      const response = await send({ method: 'PUT', path: '/alliances/edge/schemes/Z', headers, body: body() });
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, code, message: expect.any(String) });
      expect(await eventCount()).toBe(before);
    });

    it('inflates a gzip body within the limit', async () => {
      const response = await send({ method: 'PUT', path: '/alliances/edge/schemes/GZ', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: gzipSync('{"name":"Gzipped scheme"}') });
      expect(response.status).toBe(201);
    });

    it('refuses an import larger than its limit with 413 and the line where it passed it', async () => {
      const small = await startTestApp({ env: { LEDGER_MAX_IMPORT_BYTES: '4096', LEDGER_MAX_IMPORT_LINE_BYTES: '2048' } });
      try {
        const blank = `${' '.repeat(99)}\n`;
        const response = await rawRequest(small.url, { path: '/alliances/x/imports', headers: { ...(await small.headersFor('alice', { admin: true })), 'Content-Type': 'application/x-ndjson' }, body: blank.repeat(100) });
        expect(response.status).toBe(413);
        expect(response.body.error).toMatchObject({ line: 41, code: 'import_too_large', errors: [{ field: 'body', reason: expect.stringMatching(/LEDGER_MAX_IMPORT_BYTES/) }] });
      } finally {
        await small.close();
      }
    });

    it.each([
      ['after beyond any position', '/alliances/edge/events?after=99999999999999999999/1', 'after'],
      ['after that is no position of this store', '/alliances/edge/events?after=5/7', 'after'],
      ['before that is no position of this store', '/alliances/edge/events?before=5/7&order=newest', 'before'],
      ['type given twice', '/alliances/edge/events?type=a&type=b', 'type'],
      ['limit given twice', '/alliances/edge/events?limit=1&limit=2', 'limit'],
      ['asAt given twice', '/alliances/edge/periods/2026-Q1/summary?asAt=2026-01-01&asAt=2026-02-01', 'asAt'],
      ['an impossible asAt', '/alliances/edge/periods/2026-Q1/summary?asAt=2026-02-30', 'asAt'],
    ])('answers %s with 400 naming the parameter', async (_, path, field) => {
      const response = await service.http.get(path).expect(400);
      expect(response.body.errors).toEqual([{ field, reason: expect.any(String) }]);
    });

    it('logs a client that hangs up mid-body as a warning without a stack, not as an error', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      const error = jest.spyOn(Logger.prototype, 'error');
      try {
        const warned = new Promise<void>((resolve) => warn.mockImplementation(() => resolve()));
        const { request } = await import('node:http');
        const upload = request(new URL('/alliances/edge/schemes/HANG', service.url), {
          method: 'PUT',
          headers: { ...(await service.headersFor('alice', { admin: true })), 'Content-Type': 'application/json', 'Content-Length': 1000 },
        });
        upload.on('error', () => undefined);
        upload.write('{"name":', () => setImmediate(() => upload.destroy()));
        await warned;
        expect(String(warn.mock.calls[0][0])).toMatch(/client closed the connection/);
        expect(String(warn.mock.calls[0][0])).not.toMatch(/\n\s+at /);
        expect(error).not.toHaveBeenCalled();
      } finally {
        warn.mockRestore();
        error.mockRestore();
      }
    });
  });

  describe('10. slow clients', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ env: { LEDGER_HEADERS_TIMEOUT_MS: '300', LEDGER_REQUEST_TIMEOUT_MS: '600', LEDGER_KEEP_ALIVE_TIMEOUT_MS: '300' } });
    });
    afterAll(() => strict.close());

    /** A raw connection to `url` that writes what `send` writes, and what the server answered once it closed the connection. */
    const connection = async (url: string, send: (socket: Socket) => void) => {
      const { port } = new URL(url);
      let text = '';
      let open = true;
      const socket = connect(Number(port), '127.0.0.1', () => send(socket));
      socket.on('data', (chunk) => (text += chunk));
      socket.on('error', () => undefined);
      const closed = new Promise<string>((resolve) =>
        socket.on('close', () => {
          open = false;
          resolve(text);
        }),
      );
      return { closed, isOpen: () => open, destroy: () => socket.destroy() };
    };

    // Each is compared with the same connection to the service on the default timeouts (headers
    // 10 s, request 60 s, keep-alive 5 s), opened first: the strict service must have closed its
    // own while that one is still open. An order of events, not a duration, so a loaded machine
    // cannot fail it; a strict setting that is not applied can.
    const closesFirst = async (send: (socket: Socket, app: TestApp) => unknown) => {
      const lenient = await connection(service.url, (socket) => void send(socket, service));
      const strictAnswer = await (await connection(strict.url, (socket) => void send(socket, strict))).closed;
      const lenientStillOpen = lenient.isOpen();
      lenient.destroy();
      return { text: strictAnswer, lenientStillOpen };
    };

    it('answers trickled headers with 408 once the headers timeout passes, in the service’s error shape and headers', async () => {
      const { text, lenientStillOpen } = await closesFirst((socket) => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n'));
      expect(text).toMatch(/^HTTP\/1\.1 408/);
      expectServiceRefusal(parseAnswer(text), 408, 'request_timeout');
      expect(lenientStillOpen).toBe(true);
    });

    it('answers an unfinished body with 408 once the request timeout passes', async () => {
      const { text, lenientStillOpen } = await closesFirst(async (socket, app) => {
        const headers = Object.entries(await app.headersFor('alice', { admin: true })).map(([name, value]) => `${name}: ${value}\r\n`).join('');
        socket.write(`PUT /alliances/x/schemes/A HTTP/1.1\r\nHost: x\r\n${headers}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`);
      });
      expect(text).toMatch(/^HTTP\/1\.1 408/);
      expectServiceRefusal(parseAnswer(text), 408, 'request_timeout');
      expect(lenientStillOpen).toBe(true);
    });

    it('closes an idle kept-alive connection after the keep-alive timeout', async () => {
      const { text, lenientStillOpen } = await closesFirst((socket) => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'));
      expect(text).toMatch(/^HTTP\/1\.1 200/);
      expect(lenientStillOpen).toBe(true);
    });
  });

  describe('9. text and JSON the read side cannot hold', () => {
    it.each([
      ['a NUL', cost('T1', ',"description":"a\\u0000b"'), 'invalid_text', 'description'],
      ['a bidi override', cost('T2', ',"description":"paid \u202Eevil"'), 'invalid_text', 'description'],
      ['a lone surrogate', cost('T3', ',"description":"\\ud83d"'), 'invalid_text', 'description'],
      ['a repeated amount', '{"schemeId":"A","periodId":"2026-Q1","costId":"T4","amount":"1.00","amount":"2.00"}', 'invalid_json', 'amount'],
      ['__proto__', cost('T5', ',"__proto__":{"amount":"9.00"}'), 'invalid_json', '__proto__'],
      ['constructor', cost('T6', ',"constructor":{}'), 'invalid_json', 'constructor'],
    ])('refuses %s, naming the field, and records nothing', async (_, body, code, field) => {
      const before = await eventCount();
      const response = await send({ method: 'PUT', path: '/alliances/edge/schemes/A/costs/T', headers: { 'Content-Type': 'application/json' }, body });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code, errors: [{ field, reason: expect.any(String) }] });
      expect(await eventCount()).toBe(before);
    });

    it('refuses a C1 control in Idempotency-Key, which would be kept with the events', async () => {
      const response = await send({ method: 'PUT', path: '/alliances/edge/schemes/C1', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'key\u0085' }, body: '{"name":"x"}' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'Idempotency-Key', reason: expect.stringMatching(/U\+0085/) }]);
    });

    it('refuses invalid UTF-8 in an import line rather than recording U+FFFD', async () => {
      const line = Buffer.concat([Buffer.from('{"command":"RegisterScheme","data":{"schemeId":"U8","name":"caf'), Buffer.from([0xe9]), Buffer.from('"}}\n')]);
      const before = await eventCount();
      const response = await send({ path: '/alliances/edge/imports', headers: { 'Content-Type': 'application/x-ndjson' }, body: line });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ line: 1, code: 'invalid_utf8' });
      expect(await eventCount()).toBe(before);
    });

    it('imports a Windows-saved file with a BOM as it imports a Unix one', async () => {
      const windows = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(WORKED_EXAMPLE.replace(/\n/g, '\r\n'))]);
      const response = await send({ path: '/alliances/windows/imports', headers: { 'Content-Type': 'application/x-ndjson' }, body: windows });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'completed', recorded: 27 });
    });
  });

  describe('11. helpful refusals', () => {
    it('tells a JSON body sent without Content-Type to say application/json', async () => {
      const response = await send({ method: 'PUT', path: '/alliances/edge/schemes/NOCT', body: '{"name":"x"}' });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ code: 'unsupported_media_type', message: 'Content-Type: is missing; send a JSON object with Content-Type: application/json' });
    });

    it.each(['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x'])('refuses a write sent as %s (a cross-site form could send it) with 415', async (type) => {
      const before = await eventCount();
      const response = await send({ method: 'PUT', path: '/alliances/edge/schemes/FORM', headers: { 'Content-Type': type }, body: 'name=x' });
      expect(response.status).toBe(415);
      expect(response.body.message).toMatch(/send a JSON object with Content-Type: application\/json/);
      expect(await eventCount()).toBe(before);
    });

    it("reads the pages' own form posts strictly, and only under /ui/ and /auth/", async () => {
      const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
      expect((await send({ path: '/ui/alliances/edge/periods/2026-Q1/nothing-here', headers: form, body: 'reason=ok&_csrf=t' })).status).toBe(404);
      const page = await send({ path: '/ui/alliances/edge/periods/2026-Q1/nothing-here', headers: form, body: 'reason=a&reason=b' });
      expect(page.status).toBe(400);
      expect(page.text).toMatch(/reason: appears more than once/);
      const twice = await send({ path: '/auth/anything', headers: form, body: 'reason=a&reason=b' });
      expect(twice).toMatchObject({ status: 400, body: { code: 'invalid_form', errors: [{ field: 'reason' }] } });
      const control = await send({ path: '/auth/anything', headers: form, body: 'reason=a%00b' });
      expect(control).toMatchObject({ status: 400, body: { code: 'invalid_text', errors: [{ field: 'reason' }] } });
      const latin1 = await send({ path: '/auth/anything', headers: form, body: 'reason=caf%E9' });
      expect(latin1).toMatchObject({ status: 400, body: { code: 'invalid_utf8' } });
    });

    it('says a missing field is required', async () => {
      const response = await service.http.put('/alliances/edge/schemes/A/costs/REQ').send({ periodId: '2026-Q1' }).expect(400);
      expect(response.body.errors).toEqual([{ field: 'amount', reason: 'is required' }]);
    });

    it('still takes a write without a body, and does not say it is Express', async () => {
      const response = await service.http.post('/alliances/edge/schemes/NOPE/completion').send();
      expect(response.status).toBeLessThan(500);
      expect(response.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('12. what Node or Fastify would answer themselves', () => {
    it.each([
      ['a request line that is not HTTP', 'HELLO\r\n\r\n'],
      ['a header name with a space', 'GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n'],
      ['both Content-Length and Transfer-Encoding (request smuggling)', 'POST /alliances/edge/imports HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
      ['a chunk size that is not hexadecimal', 'PUT /alliances/edge/schemes/Z HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n'],
    ])('answers %s with 400 in the service’s error shape and headers, and closes the connection', async (_, request) => {
      const answer = parseAnswer(await exchange(service.url, request));
      expectServiceRefusal(answer, 400, 'malformed_request');
      expect(answer.headers.connection).toBe('close');
    });

    it('answers headers larger than Node reads with 431 in the service’s error shape and headers', async () => {
      const answer = parseAnswer(await exchange(service.url, `GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(32 * 1024)}\r\n\r\n`));
      expectServiceRefusal(answer, 431, 'headers_too_large');
    });

    it('answers a request that arrives while the service closes with 503 in the service’s error shape and headers', async () => {
      const closing = await startTestApp();
      const server = closing.app.getHttpServer() as import('node:http').Server;
      // The server stops listening only once Fastify is closing (after its preClose hooks).
      const stoppedListening = new Promise<void>((resolve) => {
        const close = server.close.bind(server);
        server.close = ((callback?: (error?: Error) => void) => {
          resolve();
          return close(callback);
        }) as typeof server.close;
      });
      const { port } = new URL(closing.url);
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      // Half a request: the connection is busy, so closing waits for it rather than dropping it.
      await new Promise<void>((resolve) => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n', () => resolve()));
      const closed = closing.close();
      await stoppedListening;
      socket.write('\r\n');
      await ended;
      await closed;

      expectServiceRefusal(parseAnswer(text), 503, 'shutting_down');
    });
  });
});

/** Writes `request` on a fresh connection and resolves with everything the service sent until it closed the connection. */
function exchange(url: string, request: string): Promise<string> {
  return new Promise((resolve) => {
    const { port } = new URL(url);
    let text = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
  });
}

interface ParsedAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A raw HTTP/1.1 answer: its status, its headers (names in lower case) and its body read as JSON. */
function parseAnswer(text: string): ParsedAnswer {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  let body: unknown;
  try {
    body = JSON.parse(text.slice(end + 4));
  } catch {
    body = text.slice(end + 4);
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]), headers, body };
}

/** The answer every refusal gets: the error shape, helmet's headers, a request id. */
function expectServiceRefusal(answer: ParsedAnswer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ statusCode: status, code, message: expect.any(String), errors: [] });
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers['content-security-policy']).toMatch(/default-src 'self'/);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['x-request-id']).toEqual(expect.any(String));
}
