import fc from 'fast-check';
import { rawRequest } from '../support/raw-http';
import { fixture, importNdjson, startTestApp, TestApp } from '../support/test-app';

const WORKED_EXAMPLE = fixture('worked-example.ndjson');
const VALID_LINES = [
  '{"command":"RecordDefinedCost","data":{"schemeId":"A","periodId":"2026-Q1","costId":"FZ-1","amount":"10.00","description":"fuzz"}}',
  '{"command":"RecordHoursWorked","data":{"periodId":"2026-Q1","hours":"12.5","reason":"night shift"}}',
  '{"command":"RegisterScheme","commandId":"fz-scheme","data":{"schemeId":"FZ","name":"Fuzzed scheme"}}',
  '{"command":"ReportSafetyIncident","data":{"periodId":"2026-Q1","incidentId":"FZ-INC","severity":"minor","description":"slip"}}',
];

/** A valid line, then a few bytes changed, inserted or cut: what a broken client or a hostile one sends. */
const mutatedLine = fc
  .tuple(
    fc.constantFrom(...VALID_LINES),
    fc.array(fc.tuple(fc.constantFrom('replace', 'insert', 'cut'), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 4 }),
  )
  .map(([line, edits]) => {
    let bytes = Buffer.from(line);
    for (const [kind, at, inserted] of edits) {
      const index = at % (bytes.length + 1);
      const tail = kind === 'replace' || kind === 'cut' ? bytes.subarray(index + inserted.length) : bytes.subarray(index);
      bytes = Buffer.concat([bytes.subarray(0, index), kind === 'cut' ? Buffer.alloc(0) : Buffer.from(inserted), tail]);
    }
    return bytes;
  });

const hostileBody = fc.oneof(mutatedLine, fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)));

describe('fuzzing the command envelope and the NDJSON reader', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'fuzz', WORKED_EXAMPLE).expect(200);
  });
  afterAll(() => service.close());

  const eventCount = async () => {
    let count = 0;
    let after: string | null = '';
    while (after !== null) {
      const { body }: { body: { events: unknown[]; next: string | null } } = await service.http.get(`/alliances/fuzz/events?limit=1000${after ? `&after=${after}` : ''}`).expect(200);
      count += body.events.length;
      after = body.next;
    }
    return count;
  };

  const post = async (path: string, contentType: string, body: Buffer) =>
    rawRequest(service.url, { path, headers: { ...(await service.headersFor('fuzzer', { admin: true })), 'Content-Type': contentType }, body });

  it('POST /commands: random bytes and mutated commands never get a 5xx, and a refusal records nothing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        const before = await eventCount();
        const response = await post('/alliances/fuzz/commands', 'application/json', body);
        expect(response.status).toBeLessThan(500);
        expect(response.body).toEqual(expect.objectContaining(response.status >= 400 ? { code: expect.any(String), message: expect.any(String) } : { outcome: expect.any(String) }));
        expect(await eventCount()).toBe(before + (response.status === 201 ? response.body.events.length : 0));
      }),
      { numRuns: 150 },
    );
    await service.http.get('/health').expect(200);
  });

  it('POST /imports: random bytes and mutated lines never get a 5xx, and a refused line records nothing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        const before = await eventCount();
        const response = await post('/alliances/fuzz/imports', 'application/x-ndjson', body);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expect(response.body).toMatchObject({ status: 'stopped', error: { line: expect.any(Number), code: expect.any(String) } });
        // Lines before a refused one may be applied; the refused line and those after it add nothing.
        expect(await eventCount()).toBe(before + response.body.events);
      }),
      { numRuns: 150 },
    );
    await service.http.get('/health').expect(200);
  });
});
