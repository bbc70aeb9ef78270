import { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import { LedgerHistory } from '../queries/ledger-history';
import { MULTI_PERIOD, multiPeriodExpected } from '../../../test/support/multi-period';
import { seed } from '../../../test/support/seed';
import { fixture } from '../../../test/support/test-app';
import { workedExampleSummary } from '../../../test/support/worked-example';
import { compareWithCertificate } from './certification';
import { explainPeriod } from './explanation';
import { findLedgerPeriod } from './ledger';
import { partnerStatement } from './partner-statement';
import { describePeriod, summarizePeriod } from './period-summary';

/**
 * The settlement folded from real events, the worked example and the three quarters, to the penny:
 * examples for what the ledger fold, the period summary, the certificate, the explanation and a
 * partner's statement compute (the figures were worked by hand; see test/support).
 */
const clock = { now: () => new Date('2026-04-02T09:00:00.000Z') };

/**
 * Each alliance is seeded once per file (mutation testing runs these specs once per mutant), and
 * every test replays it afresh: a replay folds the stored events from nothing.
 */
const seeded = new Map<string, Promise<SqliteEventStore>>();
afterAll(async () => {
  for (const store of seeded.values()) await (await store).close();
});

async function history(allianceId: string, text: string): Promise<{ history: LedgerHistory; close: () => Promise<void> }> {
  if (!seeded.has(allianceId)) {
    const store = new SqliteEventStore({ path: ':memory:' });
    seeded.set(allianceId, seed(store, allianceId, text, clock).then(() => store));
  }
  const store = await seeded.get(allianceId)!;
  return { history: new LedgerHistory(store, clock), close: async () => undefined };
}

describe('the ledger folded from the worked example', () => {
  it('summarises the provisional period to the penny, and nothing for a period never opened', async () => {
    const { history: ledger, close } = await history('sma', fixture('worked-example.ndjson'));
    try {
      const replay = await ledger.replay('sma', '2026-Q1');
      expect(summarizePeriod(replay.state, '2026-Q1')).toEqual(workedExampleSummary('sma', 'provisional'));
      expect(describePeriod(replay.state, '2026-Q1')).toEqual(workedExampleSummary('sma', 'provisional'));
      expect(summarizePeriod(replay.state, '2026-Q2')).toBeUndefined();
      expect(replay.state.eventCount).toBe(27);
      // 2,500,000 hours worked, two RIDDOR-reportable incidents and a near miss.
      expect(replay.state.safety['2026-Q1']).toEqual({ hoursInHundredths: 250_000_000n, riddor: 2, fatalities: 0, lostTime: 0, nearMiss: 1 });
    } finally {
      await close();
    }
  });

  it("certifies the figures it summarised, and a partner's statement is its line of them", async () => {
    const { history: ledger, close } = await history('sma', fixture('worked-example.ndjson'));
    try {
      const replay = await ledger.replay('sma', '2026-Q1');
      const figures = replay.certificate('2026-04-02T09:00:00.000Z');
      expect(figures.summary).toEqual(workedExampleSummary('sma', 'certified'));
      expect(figures.inputs).toMatchObject({ digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), eventCount: 27 });
      const again = compareWithCertificate(await ledger.replay('sma', '2026-Q1'), { ...figures, proposedBy: 'a', approvedBy: 'b' } as never);
      expect(again).toMatchObject({ digestMatches: true, figuresMatch: true });
      expect(again.recomputedSummary).toBeUndefined();
      const altered = compareWithCertificate(await ledger.replay('sma', '2026-Q1'), {
        ...figures,
        summary: { ...figures.summary, cost: { ...figures.summary.cost, target: '1.00' } },
        inputs: { ...figures.inputs, digest: 'sha256:0' },
      } as never);
      expect(altered).toMatchObject({ digestMatches: false, figuresMatch: false, recomputedSummary: workedExampleSummary('sma', 'certified') });

      const terms = replay.state.terms!;
      const statement = partnerStatement(workedExampleSummary('sma', 'provisional'), terms, 'S1')!;
      expect(statement).toMatchObject({
        allianceId: 'sma',
        periodId: '2026-Q1',
        status: 'provisional',
        partnerId: 'S1',
        costShare: '2600000.00',
        performance: '450000.00',
        total: '3050000.00',
        cumulative: { costShare: '2600000.00', previousCostShare: '0.00' },
        alliance: { partnersShare: '13000000.00', previousPartnersShare: '0.00', partnersShareThisPeriod: '13000000.00', capApplied: null, performanceAmount: '2250000.00', score: '37.5000', gated: false, missingKpis: [] },
      });
      expect(partnerStatement(workedExampleSummary('sma', 'provisional'), terms, 'X9')).toBeUndefined();
      // The first partner listed has a statement too.
      expect(partnerStatement(workedExampleSummary('sma', 'provisional'), terms, 'P')).toMatchObject({ partnerId: 'P', costShare: '1300000.00', total: '1525000.00' });
    } finally {
      await close();
    }
  });

  it('explains each figure by the events it was computed from', async () => {
    const { history: ledger, close } = await history('sma', fixture('worked-example.ndjson'));
    try {
      const replay = await ledger.replay('sma', '2026-Q1', { keepInputs: true });
      const explanation = explainPeriod(replay.state, replay.inputs, '2026-Q1')!;
      expect(explanation).toMatchObject({ allianceId: 'sma', periodId: '2026-Q1', status: 'provisional' });
      const figure = (name: string) => explanation.figures.find((entry) => entry.figure === name)!;
      expect(explanation.figures.map((entry) => entry.figure)).toMatchSnapshot();
      // The target's events add up to T, the outturn's to A.
      const sum = (name: string, side: string) =>
        figure(name).events.reduce((total, event) => total + BigInt(String(event.effect[side]).replace('.', '')), 0n);
      expect(sum('cost.target', 'target')).toBe(52_000_000_000n);
      expect(sum('cost.outturn', 'outturn')).toBe(49_400_000_000n);
      expect(explanation.figures.map(({ figure: name, value, rule, events }) => ({ name, value, rule, events: events.map((event) => [event.type, event.effect]) }))).toMatchSnapshot();
      expect(explainPeriod(replay.state, replay.inputs, '2026-Q9')).toBeUndefined();
    } finally {
      await close();
    }
  });
});

describe('the ledger folded from three quarters', () => {
  const text = MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1 + MULTI_PERIOD.q2 + MULTI_PERIOD.q3;
  const expected = multiPeriodExpected('tq') as unknown as Record<string, Record<string, unknown>>;

  it('keeps certified quarters as certified and computes the open one from them: reversals, late costs, a gate and the pain cap', async () => {
    const { history: ledger, close } = await history('tq', text);
    try {
      const replay = await ledger.replay('tq', '2026-Q3');
      for (const periodId of ['2026-Q1', '2026-Q2', '2026-Q3']) expect(summarizePeriod(replay.state, periodId)).toEqual(expected[periodId]);
      expect(findLedgerPeriod(replay.state, '2026-Q2')).toMatchObject({ sequence: 2, certificate: { inputs: { eventCount: expect.any(Number) } } });
      expect(replay.state.schemes.A).toMatchObject({ completedIn: '2026-Q1', definedCost: 12_300_000_000n, reversedCost: 3_000_000_000n });
    } finally {
      await close();
    }
  });

  it('recomputes each certified quarter from its inputs to the same figures and digest', async () => {
    const { history: ledger, close } = await history('tq', text);
    try {
      for (const periodId of ['2026-Q1', '2026-Q2']) {
        const replay = await ledger.replay('tq', periodId, { keepInputs: true });
        const certificate = findLedgerPeriod(replay.state, periodId)!.certificate!;
        const check = compareWithCertificate(replay, certificate);
        expect(check).toMatchObject({ periodId, digestMatches: true, figuresMatch: true });
        const explanation = explainPeriod(replay.state, replay.inputs, periodId)!;
        expect(explanation.status).toBe('certified');
        expect(explanation.figures.map(({ figure, value, events }) => ({ figure, value, events: events.map((event) => [event.type, event.effect]) }))).toMatchSnapshot(periodId);
      }
    } finally {
      await close();
    }
  });
});
