import { userInfo } from 'node:os';
import { runLedger } from '../support/cli';
import { HttpClient, fixture, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';
import { signInWithLink } from '../support/sign-in';

/** Roles as ledger data: granted and revoked by administrators, read by the guard, shown asAt. */
describe('roles recorded in the ledger', () => {
  let service: TestApp;
  let recorder: HttpClient;
  let partnerP: HttpClient;
  let stranger: HttpClient;
  let grantedAt: string;

  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'sma', fixture('worked-example.ndjson')).expect(200);
    await importNdjson(service.http, 'other', fixture('worked-example.ndjson').replace(/"allianceId":"sma"/g, '"allianceId":"other"')).expect(200);
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5)); // recordedAt has millisecond resolution
    grantedAt = before;
    await service.http.post('/alliances/sma/access/grants').send({ subject: 'jo@recorder.example', role: 'recorder' }).expect(201);
    await service.http.post('/alliances/sma/commands').send({ command: 'GrantRole', data: { subject: 'pat@p.example', role: 'partner', partnerId: 'P' } }).expect(201);
    await service.http.post('/alliances/other/access/grants').send({ subject: 'sam@elsewhere.example', role: 'auditor' }).expect(201);
    recorder = await service.as('jo@recorder.example');
    partnerP = await service.as('pat@p.example');
    stranger = await service.as('sam@elsewhere.example');
  });
  afterAll(() => service.close());

  it('lets a recorder record facts, as themselves, but not close a period', async () => {
    const cost = await recorder.put('/alliances/sma/schemes/A/costs/ROLE-1').send({ periodId: '2026-Q1', amount: '10.00' }).expect(201);
    expect(cost.body.outcome).toBe('recorded');
    const { body } = await service.http.get('/alliances/sma/events?stream=scheme.A&type=DefinedCostRecorded').expect(200);
    expect(body.events.at(-1)).toMatchObject({ data: { costId: 'ROLE-1' }, metadata: { actor: 'jo@recorder.example' } });
    const close = await recorder.post('/alliances/sma/periods/2026-Q1/close').expect(403);
    expect(close.body).toMatchObject({ code: 'forbidden', errors: [{ field: 'role' }] });
  });

  it('answers 404 to someone with no role in the alliance, whether or not it exists', async () => {
    expect((await stranger.get('/alliances/sma').expect(404)).body.code).toBe('alliance_not_found');
    expect((await stranger.get('/alliances/no-such-alliance').expect(404)).body.code).toBe('alliance_not_found');
    expect((await stranger.put('/alliances/sma/schemes/A/costs/X').send({ periodId: '2026-Q1', amount: '1.00' }).expect(404)).body.code).toBe('alliance_not_found');
  });

  it('lists only the caller’s alliances', async () => {
    expect((await recorder.get('/alliances').expect(200)).body.map((row: { allianceId: string }) => row.allianceId)).toEqual(['sma']);
    expect((await stranger.get('/alliances').expect(200)).body.map((row: { allianceId: string }) => row.allianceId)).toEqual(['other']);
    expect((await service.http.get('/alliances').expect(200)).body.map((row: { allianceId: string }) => row.allianceId)).toEqual(['other', 'sma']);
  });

  it('lets a partner read its own statement and no other', async () => {
    await partnerP.get('/alliances/sma/periods/2026-Q1/statements/P').expect(200);
    expect((await partnerP.get('/alliances/sma/periods/2026-Q1/statements/S1').expect(403)).body.code).toBe('forbidden');
    await partnerP.get('/alliances/sma/periods/2026-Q1/summary').expect(200);
  });

  it('runs each import line with the caller’s rights, stopping at the first it may not run', async () => {
    const lines = ndjson(
      { command: 'RecordDefinedCost', data: { schemeId: 'A', periodId: '2026-Q1', costId: 'ROLE-2', amount: '1.00' } },
      { command: 'DefineKpi', data: { kpiId: 'sneaky', name: 'x', unit: '%', source: 'measured', poor: '0', mcos: '1', outstanding: '2', weight: '0', gate: false } },
    );
    const report = await recorder.post('/alliances/sma/imports').set('Content-Type', 'application/x-ndjson').send(lines).expect(403);
    expect(report.body).toMatchObject({ status: 'stopped', recorded: 1, error: { line: 2, code: 'forbidden' } });
  });

  it('refuses grants from anyone but an administrator, and to oneself', async () => {
    await recorder.post('/alliances/sma/access/grants').send({ subject: 'friend@example', role: 'commercial-manager' }).expect(403);
    const self = await service.http.post('/alliances/sma/access/grants').send({ subject: 'test-admin', role: 'approver' }).expect(403);
    expect(self.body.code).toBe('own_access');
  });

  it('shows who held which role, now and as at an earlier instant', async () => {
    const manager = await service.as('cm@example');
    await service.http.post('/alliances/sma/access/grants').send({ subject: 'cm@example', role: 'commercial-manager' }).expect(201);
    const now = await manager.get('/alliances/sma/access').expect(200);
    expect(now.body.grants).toEqual(
      expect.arrayContaining([
        { subject: 'jo@recorder.example', role: 'recorder', partnerId: null },
        { subject: 'pat@p.example', role: 'partner', partnerId: 'P' },
      ]),
    );
    const earlier = await manager.get(`/alliances/sma/access?asAt=${encodeURIComponent(grantedAt)}`).expect(200);
    expect(earlier.body.grants).toEqual([]);
    await recorder.get('/alliances/sma/access').expect(403);
  });

  it('takes a role away with RevokeRole: the subject then has no access, and the grant stays in the history', async () => {
    const temp = await service.as('temp@example');
    await service.http.post('/alliances/sma/access/grants').send({ subject: 'temp@example', role: 'auditor' }).expect(201);
    await temp.get('/alliances/sma').expect(200);
    await service.http.post('/alliances/sma/access/revocations').send({ subject: 'temp@example', role: 'auditor' }).expect(201);
    await temp.get('/alliances/sma').expect(404);
    const history = await service.http.get('/alliances/sma/events?type=RoleGranted,RoleRevoked&limit=1000').expect(200);
    const mine = history.body.events.filter((event: { data: { subject: string } }) => event.data.subject === 'temp@example');
    expect(mine.map((event: { type: string; metadata: { actor: string } }) => [event.type, event.metadata.actor])).toEqual([
      ['RoleGranted', 'test-admin'],
      ['RoleRevoked', 'test-admin'],
    ]);
  });
});

describe('the ledger command line’s identity commands', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp();
    await importNdjson(service.http, 'sma', fixture('worked-example.ndjson')).expect(200);
  });
  afterAll(() => service.close());
  const env = () => ({ LEDGER_DATA_DIR: service.dataDir });

  it('prints only a token, which the service accepts until it expires', async () => {
    const result = await runLedger(['token', '--subject', 'ops@example', '--admin', '--expires-in', '10m'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const { body } = await service.http.get('/auth/me').set('Authorization', `Bearer ${result.stdout.trim()}`).expect(200);
    expect(body).toMatchObject({ subject: 'ops@example', admin: true, via: 'bearer' });
    const short = await runLedger(['token', '--subject', 'ops@example', '--expires-in', '1s'], env());
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await service.http.get('/auth/me').set('Authorization', `Bearer ${short.stdout.trim()}`).expect(401);
  });

  it('refuses a bad duration or a missing subject with exit code 2 and the option named', async () => {
    const bad = await runLedger(['token', '--subject', 'ops@example', '--expires-in', 'forever'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--expires-in/);
    const missing = await runLedger(['token'], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--subject/);
  });

  it('prints a single-use sign-in link for the pages', async () => {
    const result = await runLedger(['login-link', '--subject', 'viewer@example', '--admin'], env());
    expect(result.code).toBe(0);
    const link = new URL(result.stdout.trim());
    expect(link.pathname).toBe('/auth/login-link');
    const first = await signInWithLink(service.url, `/auth/login-link${link.search}`);
    expect(first.status).toBe(303);
    expect(first.headers.getSetCookie().find((line) => line.startsWith('ledger_session='))).toMatch(/^ledger_session=.*; HttpOnly; SameSite=Lax/);
    expect((await signInWithLink(service.url, `/auth/login-link${link.search}`)).status).toBe(401);
  });

  it('grants and revokes roles on the data directory, as the operating-system user', async () => {
    const granted = await runLedger(['grant', '--alliance', 'sma', '--subject', 'cli@example', '--role', 'partner', '--partner', 'S1'], env());
    expect(granted.code).toBe(0);
    expect(JSON.parse(granted.stdout)).toMatchObject({ command: 'GrantRole', outcome: 'recorded' });
    const cli = await service.as('cli@example');
    await cli.get('/alliances/sma/periods/2026-Q1/statements/S1').expect(200);
    const history = await service.http.get('/alliances/sma/events?type=RoleGranted').expect(200);
    expect(history.body.events.at(-1).metadata.actor).toBe(`local:${userInfo().username}`);
    const revoked = await runLedger(['revoke', '--alliance', 'sma', '--subject', 'cli@example', '--role', 'partner', '--partner', 'S1'], env());
    expect(revoked.code).toBe(0);
    await cli.get('/alliances/sma/periods/2026-Q1/statements/S1').expect(404);
  });
});
