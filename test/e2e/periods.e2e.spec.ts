import { workedExampleTerms } from '../support/alliance-fixtures';
import { HttpClient, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

/** Each test has an alliance of its own (`four-eyes-{name}`), so it passes when run alone. */
let ALLIANCE = '';
const period = (periodId: string, suffix = '') => `/alliances/${ALLIANCE}/periods/${periodId}${suffix}`;
const q1 = { periodId: '2026-Q1' };

/** An alliance formed without closeApprovals (so two people close a period), with one quarter of facts. */
const SETUP = ndjson(
  {
    command: 'FormAlliance',
    data: {
      name: 'Four-eyes alliance',
      owner: 'National Highways',
      partners: workedExampleTerms().partners,
      shareBands: workedExampleTerms().shareBands.map(({ from, to, share }) => (to === null ? { from, share } : { from, to, share })),
      rewardPoolMax: '6000000.00',
      liabilityMax: '6000000.00',
    },
  },
  { command: 'DefineKpi', data: { kpiId: 'milestones', name: 'Milestones', unit: '%', source: 'measured', poor: '80', mcos: '90', outstanding: '100', weight: '1', gate: false } },
  { command: 'OpenPeriod', data: { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31' } },
  { command: 'RegisterScheme', data: { schemeId: 'A', name: 'Scheme A' } },
  { command: 'SetTargetBaseline', data: { schemeId: 'A', ...q1, amount: '100000000.00' } },
  { command: 'RecordDefinedCost', data: { schemeId: 'A', ...q1, costId: 'A-1', amount: '90000000.00' } },
  { command: 'CompleteScheme', data: { schemeId: 'A', ...q1 } },
  { command: 'RecordKpiMeasurement', data: { kpiId: 'milestones', ...q1, value: '95' } },
);

describe('periods: plausible dates, cancelling, and closing with four eyes', () => {
  let service: TestApp;
  let alice: HttpClient;
  let bob: HttpClient;
  beforeAll(async () => {
    service = await startTestApp();
    alice = await service.as('alice', { admin: true });
    bob = await service.as('bob', { admin: true });
  });
  afterAll(() => service.close());

  /** The alliance with its first quarter of facts, under an id of the test's own. */
  async function formed(name: string): Promise<void> {
    ALLIANCE = `four-eyes-${name}`;
    await importNdjson(service.http, ALLIANCE, SETUP).expect(200);
  }

  /** Q1 closed by alice proposing and bob approving, and Q2 opened after it. */
  async function q1CertifiedAndQ2Open(): Promise<void> {
    await alice.post(period('2026-Q1', '/close-proposal')).expect(201);
    await bob.post(period('2026-Q1', '/close-proposal/approval')).expect(201);
    await service.http.put(period('2026-Q2')).send({ startDate: '2026-04-01', endDate: '2026-06-30' }).expect(201);
  }

  const figuresOf = (summary: Record<string, unknown>) => ({ cost: summary.cost, performance: summary.performance, partners: summary.partners });

  it('refuses ClosePeriod with approval_required where two people close a period', async () => {
    await formed('one-closer');
    const refused = await service.http.post(period('2026-Q1', '/close')).expect(409);
    expect(refused.body).toMatchObject({ code: 'approval_required', errors: [{ field: 'periodId' }] });
  });

  it('closes with a proposer and a different approver, certifying exactly the proposed figures', async () => {
    await formed('close');
    const proposal = await alice.post(period('2026-Q1', '/close-proposal')).expect(201);
    expect(proposal.body.events).toMatchObject([{ type: 'PeriodCloseProposed' }]);
    const pending = (await service.http.get(period('2026-Q1', '/summary')).expect(200)).body;
    expect(pending).toMatchObject({ status: 'provisional', closeProposal: { proposedBy: 'alice', digest: expect.stringMatching(/^sha256:/) } });
    const overview = (await service.http.get(`/alliances/${ALLIANCE}`).expect(200)).body;
    expect(overview.periods[0]).toMatchObject({ periodId: '2026-Q1', closeProposal: { proposedBy: 'alice', digest: pending.closeProposal.digest } });

    const own = await alice.post(period('2026-Q1', '/close-proposal/approval')).expect(403);
    expect(own.body).toMatchObject({ code: 'four_eyes', errors: [{ field: 'periodId' }] });

    // A fact recorded after the proposal changes its inputs: the proposal is stale until proposed again.
    await service.http.put(`/alliances/${ALLIANCE}/schemes/A/costs/A-LATE`).send({ ...q1, amount: '2000000.00' }).expect(201);
    const stale = await bob.post(period('2026-Q1', '/close-proposal/approval')).expect(409);
    expect(stale.body).toMatchObject({ code: 'proposal_stale', errors: [{ field: 'periodId' }] });

    await alice.post(period('2026-Q1', '/close-proposal')).expect(201);
    const proposed = (await service.http.get(period('2026-Q1', '/summary')).expect(200)).body;
    expect(proposed.cost.outturn).toBe('92000000.00');
    const approval = await bob.post(period('2026-Q1', '/close-proposal/approval')).expect(201);
    expect(approval.body.events).toMatchObject([{ type: 'PeriodClosed' }]);

    const report = (await service.http.get(period('2026-Q1', '/certificate')).expect(200)).body;
    expect(report).toMatchObject({ digestMatches: true, figuresMatch: true, certificate: { proposedBy: 'alice', approvedBy: 'bob' } });
    expect(report.certificate.inputs.digest).toBe(proposed.closeProposal.digest);
    const certified = (await service.http.get(period('2026-Q1', '/summary')).expect(200)).body;
    expect(certified.status).toBe('certified');
    expect(certified.closeProposal).toBeUndefined();
    expect(figuresOf(certified)).toEqual(figuresOf(proposed));

    // Certified figures stay as certified; a closed period takes no more facts, and a second approval changes nothing.
    await service.http.put(`/alliances/${ALLIANCE}/schemes/A/costs/A-AFTER`).send({ ...q1, amount: '1.00' }).expect(409);
    expect((await bob.post(period('2026-Q1', '/close-proposal/approval')).expect(200)).body.outcome).toBe('unchanged');
    expect(figuresOf((await service.http.get(period('2026-Q1', '/summary')).expect(200)).body)).toEqual(figuresOf(proposed));
  });

  it('refuses a period starting 9999-12-31, and one longer than a year', async () => {
    await formed('dates');
    const bricking = await service.http.put(period('2026-Q2')).send({ startDate: '9999-12-31', endDate: '9999-12-31' }).expect(400);
    expect(bricking.body).toMatchObject({ code: 'period_start_out_of_range', errors: [{ field: 'startDate' }] });
    const long = await service.http.put(period('2026-Q2')).send({ startDate: '2026-04-01', endDate: '9999-12-31' }).expect(400);
    expect(long.body).toMatchObject({ code: 'period_too_long', errors: [{ field: 'endDate' }] });
  });

  it('refuses a gap naming the expected start, opens it with allowGap, and lets a cancelled period make way for the next', async () => {
    await formed('gap');
    await alice.post(period('2026-Q1', '/close-proposal')).expect(201);
    await bob.post(period('2026-Q1', '/close-proposal/approval')).expect(201);
    const gap = await service.http.put(period('2026-Q2-typo')).send({ startDate: '2026-05-01', endDate: '2026-06-30' }).expect(409);
    expect(gap.body).toMatchObject({ code: 'period_gap', errors: [{ field: 'startDate', reason: expect.stringContaining('must be 2026-04-01') }] });
    await service.http.put(period('2026-Q2-typo')).send({ startDate: '2026-05-01', endDate: '2026-06-30', allowGap: true }).expect(201);

    // The mistaken period blocks the right one until it is cancelled.
    await service.http.put(period('2026-Q2')).send({ startDate: '2026-04-01', endDate: '2026-06-30' }).expect(409);
    const cancelled = await service.http.post(period('2026-Q2-typo', '/cancellation')).send({ reason: 'Opened with the wrong start date' }).expect(201);
    expect(cancelled.body.events).toMatchObject([{ type: 'PeriodCancelled' }]);
    await service.http.put(period('2026-Q2')).send({ startDate: '2026-04-01', endDate: '2026-06-30' }).expect(201);

    const refusedFact = await service.http.put(`/alliances/${ALLIANCE}/schemes/A/costs/A-TYPO`).send({ periodId: '2026-Q2-typo', amount: '1.00' }).expect(409);
    expect(refusedFact.body.code).toBe('period_cancelled');
    await service.http.put(period('2026-Q2-typo')).send({ startDate: '2026-05-01', endDate: '2026-06-30', allowGap: true }).expect(409);
    const overview = (await service.http.get(`/alliances/${ALLIANCE}`).expect(200)).body;
    expect(overview.periods.map(({ periodId, status }: { periodId: string; status: string }) => [periodId, status])).toEqual([
      ['2026-Q1', 'certified'],
      ['2026-Q2-typo', 'cancelled'],
      ['2026-Q2', 'provisional'],
    ]);
    // C(p−1) for the new quarter is Q1's certified share: the cancelled period in between counts for nothing.
    const [first, second] = await Promise.all(['2026-Q1', '2026-Q2'].map(async (id) => (await service.http.get(period(id, '/summary')).expect(200)).body));
    expect(second.cost.previousPartnersShare).toBe(first.cost.partnersShare);
    expect(second.cost.partnersShareThisPeriod).toBe('0.00');
  });

  it('refuses to cancel a period a fact names, counting facts in the event store', async () => {
    await formed('facts');
    await q1CertifiedAndQ2Open();
    await service.http.put(`/alliances/${ALLIANCE}/kpis/milestones/measurements/2026-Q2`).send({ value: '90' }).expect(201);
    const refused = await service.http.post(period('2026-Q2', '/cancellation')).send({ reason: 'changed my mind' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'period_has_facts', errors: [{ field: 'periodId', reason: expect.stringContaining('1 fact names period 2026-Q2') }] });
  });

  it('runs the new commands through the /commands envelope: a rejection drops the proposal', async () => {
    await formed('envelope');
    await q1CertifiedAndQ2Open();
    // A period is proposed for closing only once its KPIs are measured.
    await service.http.put(`/alliances/${ALLIANCE}/kpis/milestones/measurements/2026-Q2`).send({ value: '90' }).expect(201);
    await alice.post(`/alliances/${ALLIANCE}/commands`).send({ command: 'ProposePeriodClose', data: { periodId: '2026-Q2' } }).expect(201);
    await bob.post(`/alliances/${ALLIANCE}/commands`).send({ command: 'RejectPeriodClose', data: { periodId: '2026-Q2', reason: 'Hours are missing' } }).expect(201);
    expect((await service.http.get(period('2026-Q2', '/summary')).expect(200)).body.closeProposal).toBeUndefined();
    const none = await bob.post(period('2026-Q2', '/close-proposal/approval')).expect(409);
    expect(none.body.code).toBe('no_close_proposal');
  });
});
