import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifyDelivery } from '../../src/feeds/webhook-rules';
import { MULTI_PERIOD } from '../support/multi-period';
import { importNdjson, ReadModelBackend, startTestApp, TestApp } from '../support/test-app';

type DeliveryLog = Array<{ eventType: string; status: string; attempts: Array<{ attempt: number; statusCode: number | null; error: string | null }> }>;

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  answered: number;
}

/** A free port, closed again: the receiver is down until it listens there. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  // Deliveries run on the service's own timers; the test reads the log until it says what it waits for.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each<ReadModelBackend>(['sqlite', 'postgres'])('webhooks (outbox on %s)', (readModels) => {
  let service: TestApp;
  let receiver: Server | undefined;

  beforeAll(async () => {
    service = await startTestApp({ readModels, env: { LEDGER_WEBHOOK_RETRY_BASE_MS: '40', LEDGER_WEBHOOK_RETRY_MAX_MS: '200' } });
    await importNdjson(service.http, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1).expect(200);
  });
  afterAll(async () => {
    await service.close();
    if (receiver) await new Promise((resolve) => receiver!.close(resolve));
  });

  it('delivers to a receiver that is down and then up every event, signed, in order, and logs each attempt', async () => {
    const port = await freePort();
    const registered = await service.http.put('/alliances/tq/webhooks/finance').send({ url: `http://127.0.0.1:${port}/ledger-hook` }).expect(200);
    expect(registered.body).toMatchObject({ webhookId: 'finance', outcome: 'registered', secret: expect.stringMatching(/^[\w-]{40,}$/), pending: 0 });
    const secret: string = registered.body.secret;
    expect((await service.http.get('/alliances/tq/webhooks').expect(200)).body).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);

    await importNdjson(service.http, 'tq', MULTI_PERIOD.closeQ1).expect(200);
    await service.http.post('/alliances/tq/periods/2026-Q1/statements/S1/acknowledgement').send({}).expect(201);
    await service.http.post('/alliances/tq/periods/2026-Q1/statements/D1/dispute').send({ reason: 'CE-7 is missing' }).expect(201);

    // Down: the first delivery fails, again and again, and nothing after it is attempted.
    const failing = await until(
      async (): Promise<DeliveryLog> => (await service.http.get('/alliances/tq/webhook-deliveries').expect(200)).body,
      (log) => log.length === 3 && log[0].attempts.length >= 3,
      'three failed attempts',
    );
    expect(failing.map((delivery) => delivery.eventType)).toEqual(['PeriodClosed', 'StatementAcknowledged', 'StatementDisputed']);
    expect(failing[0].attempts[0]).toMatchObject({ attempt: 1, statusCode: null, error: expect.stringMatching(/ECONNREFUSED|fetch failed/) });
    expect(failing[1].attempts).toEqual([]);
    expect(failing[2].attempts).toEqual([]);

    // Up: it refuses the second delivery once, so the third must wait for the retry.
    const received: Received[] = [];
    let refusedOnce = false;
    let allThree: () => void;
    const arrived = new Promise<void>((resolve) => (allThree = resolve));
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const refuse = request.headers['x-ledger-event'] === 'StatementAcknowledged' && !refusedOnce;
        refusedOnce ||= refuse;
        const answered = refuse ? 503 : 204;
        received.push({ headers: request.headers, body, answered });
        response.writeHead(answered).end();
        if (received.filter((entry) => entry.answered === 204).length === 3) allThree();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(port, '127.0.0.1', resolve));
    await arrived;

    expect(received.map((entry) => [entry.headers['x-ledger-event'], entry.answered])).toEqual([
      ['PeriodClosed', 204],
      ['StatementAcknowledged', 503],
      ['StatementAcknowledged', 204],
      ['StatementDisputed', 204],
    ]);
    for (const entry of received) {
      expect(entry.headers['content-type']).toBe('application/json');
      expect(verifyDelivery(secret, Number(entry.headers['x-ledger-timestamp']), entry.body, String(entry.headers['x-ledger-signature']))).toBe(true);
      expect(verifyDelivery('not-the-secret', Number(entry.headers['x-ledger-timestamp']), entry.body, String(entry.headers['x-ledger-signature']))).toBe(false);
      const payload = JSON.parse(entry.body);
      expect(payload).toMatchObject({ deliveryId: entry.headers['x-ledger-delivery'], webhookId: 'finance', allianceId: 'tq', event: { type: entry.headers['x-ledger-event'] } });
      // The event as the feed shows it, less the store's own clock (receivers have the recorded metadata).
      expect(Object.keys(payload.event)).toEqual(['position', 'streamName', 'revision', 'eventId', 'type', 'data', 'metadata']);
    }
    const disputed = JSON.parse(received[3].body);
    expect(disputed.event.data).toMatchObject({ periodId: '2026-Q1', partnerId: 'D1', reason: 'CE-7 is missing' });
    // A retry is the same delivery: a receiver drops repeats by its id.
    expect(received[1].headers['x-ledger-delivery']).toBe(received[2].headers['x-ledger-delivery']);
    expect(received[2].headers['x-ledger-attempt']).toBe('2');

    const log = await until(
      async (): Promise<DeliveryLog> => (await service.http.get('/alliances/tq/webhook-deliveries?webhook=finance').expect(200)).body,
      (entries) => entries.every((entry) => entry.status === 'delivered'),
      'the log to show every delivery delivered',
    );
    expect(log[0].attempts.length).toBeGreaterThanOrEqual(4);
    expect(log[0].attempts[log[0].attempts.length - 1]).toMatchObject({ statusCode: 204, error: null });
    expect(log[1].attempts.map((attempt) => attempt.statusCode)).toEqual([503, 204]);
    expect((await service.http.get('/alliances/tq/webhooks').expect(200)).body[0].pending).toBe(0);
  });

  it('refuses a URL that is not http(s) or carries credentials, and unknown event types, naming the field', async () => {
    const refused = await service.http.put('/alliances/tq/webhooks/bad').send({ url: 'file:///etc/passwd', events: ['DefinedCostRecorded'] }).expect(400);
    expect(refused.body).toMatchObject({ code: 'invalid_webhook', errors: [{ field: 'url' }, { field: 'events' }] });
    const withCredentials = await service.http.put('/alliances/tq/webhooks/bad').send({ url: 'https://user:pw@example.com/' }).expect(400);
    expect(withCredentials.body.errors).toEqual([{ field: 'url', reason: expect.stringContaining('credentials') }]);
  });

  it('keeps the secret when a webhook is changed, and removes one, answering 404 for one that is not there', async () => {
    const changed = await service.http.put('/alliances/tq/webhooks/finance').send({ url: 'https://example.com/hook', events: ['PeriodClosed'] }).expect(200);
    expect(changed.body).toMatchObject({ outcome: 'updated', events: ['PeriodClosed'] });
    expect(changed.body.secret).toBeUndefined();
    await service.http.delete('/alliances/tq/webhooks/finance').expect(200);
    expect((await service.http.delete('/alliances/tq/webhooks/finance').expect(404)).body.code).toBe('webhook_not_found');
    expect((await service.http.get('/alliances/tq/webhooks').expect(200)).body).toEqual([]);
  });

  it('lets the commercial manager manage webhooks and the auditor read them, but not a partner', async () => {
    await service.http.post('/alliances/tq/access/grants').send({ subject: 'pat@s1', role: 'partner', partnerId: 'S1' }).expect(201);
    await service.http.post('/alliances/tq/access/grants').send({ subject: 'aud@tq', role: 'auditor' }).expect(201);
    const partner = await service.as('pat@s1');
    expect((await partner.get('/alliances/tq/webhooks').expect(403)).body.code).toBe('forbidden');
    expect((await partner.put('/alliances/tq/webhooks/mine').send({ url: 'https://example.com/' }).expect(403)).body.code).toBe('forbidden');
    const auditor = await service.as('aud@tq');
    await auditor.get('/alliances/tq/webhook-deliveries').expect(200);
    await auditor.put('/alliances/tq/webhooks/mine').send({ url: 'https://example.com/' }).expect(403);
  });
});
