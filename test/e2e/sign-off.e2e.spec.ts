import { SettlementProjector } from '../../src/settlement/read-models/settlement-projector';
import { MULTI_PERIOD } from '../support/multi-period';
import { HttpClient, importNdjson, startTestApp, TestApp } from '../support/test-app';

/** Partners acknowledge or dispute their certified statements; the latest stands, and asAt shows it as it stood. */
describe('partners signing their statements', () => {
  let service: TestApp;
  let alice: HttpClient;
  let dan: HttpClient;

  beforeAll(async () => {
    service = await startTestApp();
    alice = await service.as('alice@s1');
    dan = await service.as('dan@d1');
  });
  afterAll(() => service.close());

  /** Each test has an alliance of its own, Q1 imported (and closed unless asked not to), alice for S1 and dan for D1. */
  async function alliance(allianceId: string, { closed = true } = {}): Promise<string> {
    await importNdjson(service.http, allianceId, MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + (closed ? MULTI_PERIOD.closeQ1 : '')).expect(200);
    await service.http.post(`/alliances/${allianceId}/access/grants`).send({ subject: 'alice@s1', role: 'partner', partnerId: 'S1' }).expect(201);
    await service.http.post(`/alliances/${allianceId}/access/grants`).send({ subject: 'dan@d1', role: 'partner', partnerId: 'D1' }).expect(201);
    return `/alliances/${allianceId}/periods/2026-Q1/statements`;
  }

  /** dan acknowledges D1 and alice disputes S1. */
  async function signed(allianceId: string): Promise<void> {
    const statements = await alliance(allianceId);
    await dan.post(`${statements}/D1/acknowledgement`).send({}).expect(201);
    await alice.post(`${statements}/S1/dispute`).send({ reason: 'CE-7 is missing from the target' }).expect(201);
  }

  it('refuses to sign a statement before its period is certified, and records nothing', async () => {
    const statement = `${await alliance('so-open', { closed: false })}/S1`;
    const refused = await alice.post(`${statement}/acknowledgement`).send({}).expect(409);
    expect(refused.body).toMatchObject({ code: 'period_not_certified', errors: [{ field: 'periodId' }] });
    const { body } = await service.http.get('/alliances/so-open/events?stream=statements').expect(200);
    expect(body.events).toEqual([]);
    expect((await service.http.get(statement).expect(200)).body.signOff).toBeNull();
  });

  it('refuses a partner the alliance does not have, and a partner signing for another', async () => {
    const statements = await alliance('so-others');
    const refused = await service.http.post(`${statements}/X9/acknowledgement`).send({}).expect(404);
    expect(refused.body).toMatchObject({ code: 'partner_not_found', errors: [{ field: 'partnerId' }] });
    const forOther = await alice.post(`${statements}/D1/acknowledgement`).send({}).expect(403);
    expect(forOther.body).toMatchObject({ code: 'forbidden' });
    const viaEnvelope = await alice.post('/alliances/so-others/commands').send({ command: 'DisputeStatement', data: { periodId: '2026-Q1', partnerId: 'D1', reason: 'not mine' } }).expect(403);
    expect(viaEnvelope.body.code).toBe('forbidden');
  });

  it('shows an acknowledgement, then a dispute, and as at a moment between, the acknowledgement', async () => {
    const statement = `${await alliance('so-then')}/S1`;
    const acknowledged = await alice.post(`${statement}/acknowledgement`).send({}).expect(201);
    expect(acknowledged.body).toMatchObject({ command: 'AcknowledgeStatement', streamName: 'ledger.so-then.statements', events: [{ type: 'StatementAcknowledged' }] });
    const first = (await service.http.get(statement).expect(200)).body.signOff;
    expect(first).toEqual({ status: 'acknowledged', by: 'alice@s1', at: expect.any(String), reason: null });
    // Saying the same again records nothing.
    expect((await alice.post(`${statement}/acknowledgement`).send({}).expect(200)).body.outcome).toBe('unchanged');

    // The dispute must be recorded after the acknowledgement's millisecond for asAt to tell them apart.
    while (Date.now() <= Date.parse(first.at)) await new Promise((resolve) => setImmediate(resolve));
    await alice.post(`${statement}/dispute`).send({ reason: 'CE-7 is missing from the target' }).expect(201);

    const now = (await service.http.get(statement).expect(200)).body;
    expect(now).toMatchObject({ status: 'certified', signOff: { status: 'disputed', by: 'alice@s1', reason: 'CE-7 is missing from the target' } });
    expect(Date.parse(now.signOff.at)).toBeGreaterThan(Date.parse(first.at));

    const then = (await service.http.get(`${statement}?asAt=${encodeURIComponent(first.at)}`).expect(200)).body;
    expect(then.signOff).toEqual(first);
    const explained = (await service.http.get(`${statement}?explain=true`).expect(200)).body;
    expect(explained.signOff).toMatchObject({ status: 'disputed' });
  });

  it('takes a sign-off through the /commands envelope, and lists who signed and who disputes on the overview and the pages', async () => {
    const statements = await alliance('so-lists');
    await alice.post(`${statements}/S1/dispute`).send({ reason: 'CE-7 is missing from the target' }).expect(201);
    await dan.post('/alliances/so-lists/commands').send({ command: 'AcknowledgeStatement', data: { periodId: '2026-Q1', partnerId: 'D1' } }).expect(201);
    const { body: overview } = await service.http.get('/alliances/so-lists').expect(200);
    expect(overview.signOffs).toEqual([
      { allianceId: 'so-lists', periodId: '2026-Q1', partnerId: 'D1', status: 'acknowledged', by: 'dan@d1', at: expect.any(String), reason: null },
      { allianceId: 'so-lists', periodId: '2026-Q1', partnerId: 'S1', status: 'disputed', by: 'alice@s1', at: expect.any(String), reason: 'CE-7 is missing from the target' },
    ]);
    const alliancePage = (await service.http.get('/ui/alliances/so-lists').expect(200)).text;
    expect(alliancePage).toContain('Statement sign-off');
    expect(alliancePage).toMatch(/D1<\/a><\/td><td[^>]*><span class="badge acknowledged">acknowledged/);
    expect(alliancePage).toMatch(/S1<\/a><\/td><td[^>]*><span class="badge disputed">disputed.*CE-7 is missing from the target/s);
    const periodPage = (await service.http.get('/ui/alliances/so-lists/periods/2026-Q1').expect(200)).text;
    expect(periodPage).toMatch(/S1<\/a>.*badge disputed.*alice@s1/);
    expect(periodPage).toMatch(/S2<\/a>.*not signed yet/);
  });

  it('keeps sign-offs out of the certificate: it still checks out against the events', async () => {
    await signed('so-certificate');
    const { body } = await service.http.get('/alliances/so-certificate/periods/2026-Q1/certificate').expect(200);
    expect(body).toMatchObject({ digestMatches: true, figuresMatch: true });
  });

  it('rebuilds the sign-offs into the read model as they were projected live', async () => {
    await signed('so-rebuild');
    const before = (await service.http.get('/alliances/so-rebuild').expect(200)).body.signOffs;
    expect(before).toHaveLength(2);
    await service.app.get(SettlementProjector).rebuild();
    expect((await service.http.get('/alliances/so-rebuild').expect(200)).body.signOffs).toEqual(before);
  });
});
