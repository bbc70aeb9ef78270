import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_MODELS } from '../../src/read-models/read-models.token';
import { ReadModelStore } from '../../src/read-models/read-model-data-source';
import { startServiceOnFreePort, startServiceProcess, waitFor } from '../support/service-process';
import { sessionCookieOf, signInWithLink } from '../support/sign-in';
import { startTestApp } from '../support/test-app';

describe('the service process', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-process-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [{ PORT: 'eighty' }, /^Configuration error: PORT must be a whole number from 1 to 65535 \(got "eighty"\)/],
    [{ EVENT_STORE: 'eventstoredb' }, /^Configuration error: EVENTSTORE_CONNECTION_STRING is required/],
    [{ READ_MODEL_URL: 'mysql://localhost/ledger' }, /^Configuration error: READ_MODEL_URL must be/],
  ])('stops at start-up on a bad setting, naming the variable: %j', async (env, message) => {
    const service = startServiceProcess({ LEDGER_DATA_DIR: dataDir, ...env });
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toMatch(message);
  });

  // Compiling and loading the demo takes a while on a busy machine: the test's own timeout leaves
  // room for the start-up wait, so a slow start fails with that wait's message.
  it('serves the demo alliance, logging JSON lines that carry the request id', async () => {
    const { service, port } = await startServiceOnFreePort({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'info' }, ['--demo'], (stdout) => stdout.includes('More links and tokens'), 60000);
    try {
      const persona = (subject: string) => {
        const block = service.stdout().split(`— ${subject}\n`)[1];
        return { link: /sign in: (\S+)/.exec(block)![1], token: /token: +(\S+)/.exec(block)![1] };
      };
      const auditor = persona('auditor@demo.example');
      expect((await fetch(`http://127.0.0.1:${port}/alliances/smart-motorways`)).status).toBe(401);
      const response = await fetch(`http://127.0.0.1:${port}/alliances/smart-motorways`, { headers: { 'X-Request-Id': 'audit-trail-1', Authorization: `Bearer ${auditor.token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('audit-trail-1');
      const overview = (await response.json()) as { alliance: { partners: Array<{ role: string }> }; periods: Array<{ status: string; partnersShareThisPeriod: string; gated: boolean; capApplied: string | null }>; schemes: unknown[] };
      expect(overview.alliance.partners.map((partner) => partner.role)).toEqual(['production-management', 'design', 'design', 'delivery', 'delivery', 'delivery']);
      expect(overview.schemes.length).toBeGreaterThanOrEqual(24);
      expect(overview.periods.length).toBeGreaterThanOrEqual(8);
      expect(overview.periods.some((period) => period.partnersShareThisPeriod.startsWith('-'))).toBe(true);
      expect(overview.periods.some((period) => !period.partnersShareThisPeriod.startsWith('-') && period.partnersShareThisPeriod !== '0.00')).toBe(true);
      expect(overview.periods.some((period) => period.gated)).toBe(true);
      expect(overview.periods.some((period) => period.status === 'certified')).toBe(true);
      expect(overview.periods.some((period) => period.status === 'provisional')).toBe(true);

      // A partner signs in to the pages with the printed link (its page, then "Sign in"): it sets a session cookie once.
      const base = `http://127.0.0.1:${port}`;
      const partnerLink = persona('del1@demo.example').link.replace(`http://localhost:${port}`, base);
      const linkToken = new URL(partnerLink).searchParams.get('token')!;
      const signIn = await signInWithLink(base, partnerLink);
      expect(signIn.status).toBe(303);
      const cookie = sessionCookieOf(signIn)!;
      expect((await signInWithLink(base, partnerLink)).status).toBe(401);
      const home = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie } });
      expect(await home.text()).toContain('Smart Motorway Alliance');
      const ownStatement = await fetch(`http://127.0.0.1:${port}/ui/alliances/smart-motorways/periods/2026-Q1/partners/DEL1`, { headers: { cookie } });
      expect(ownStatement.status).toBe(200);
      const othersStatement = await fetch(`http://127.0.0.1:${port}/alliances/smart-motorways/periods/2026-Q1/statements/DEL2`, { headers: { cookie } });
      expect(othersStatement.status).toBe(403);

      await waitFor(() => service.stdout().includes('audit-trail-1'), 5000, 'the request log line');
      const logged = service
        .stdout()
        .split('\n')
        .filter((line) => line.includes('audit-trail-1'))
        .map((line) => JSON.parse(line));
      expect(logged[0]).toMatchObject({ level: 30, service: 'alliance-ledger', req: { id: 'audit-trail-1', method: 'GET', url: '/alliances/smart-motorways' }, res: { statusCode: 200 } });
      // The link was in the request log while it still worked (its page claims nothing): never its token.
      await waitFor(() => service.stdout().includes('/auth/login-link?token='), 5000, 'the sign-in link request log line');
      const requestLines = service
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes('"req":'));
      expect(requestLines.filter((line) => line.includes('/auth/login-link?token=[redacted]')).length).toBeGreaterThanOrEqual(2);
      expect(requestLines.filter((line) => line.includes(linkToken))).toEqual([]);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }, 90000);

  it('answers 503 from /health naming the part that is down', async () => {
    const service = await startTestApp();
    try {
      await service.app.get<ReadModelStore>(READ_MODELS).dataSource.destroy();
      const { body } = await service.http.get('/health').expect(503);
      expect(body).toMatchObject({ status: 'unavailable', message: 'read-model database is down', eventStore: { status: 'up' }, readModels: { status: 'down' } });
    } finally {
      await service.app.get<ReadModelStore>(READ_MODELS).dataSource.initialize();
      await service.close();
    }
  });
});
