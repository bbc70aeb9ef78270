import { createHash } from 'node:crypto';
import { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import { collect, StoredEvent } from '../../event-store/event-store.port';
import { canonicalJson } from '../../shared/canonical-json';
import { seed } from '../../../test/support/seed';
import { fixture } from '../../../test/support/test-app';
import { compareWithCertificate, isPeriodInput, PeriodCertification } from './certification';
import { findLedgerPeriod, initialLedger, LedgerState } from './ledger';
import { RecordedEvent } from './recorded-event';

const event = (type: string, data: Record<string, unknown> = {}, streamName = 'ledger.sma.x'): RecordedEvent => ({
  id: `${type}-${JSON.stringify(data)}`,
  streamName,
  revision: 0n,
  position: { commit: 1n, prepare: 1n },
  type,
  data,
  metadata: {},
});

/** A ledger with Q1 (sequence 1), Q2 (2) and Q3 (3) opened. */
function threeQuarters(): LedgerState {
  const state = initialLedger('sma');
  for (const [index, periodId] of ['2026-Q1', '2026-Q2', '2026-Q3'].entries()) {
    state.periods.push({ periodId, startDate: '2026-01-01', endDate: '2026-03-31', sequence: index + 1, certificate: null });
  }
  return state;
}

describe('the inputs of a period (certified Q2, with Q1 before it and Q3 after)', () => {
  const state = threeQuarters();
  const inputOfQ2 = (type: string, data: Record<string, unknown> = {}) => isPeriodInput(event(type, data), state, '2026-Q2');

  it('takes the alliance’s configuration whatever it names', () => {
    for (const type of ['AllianceFormed', 'KpiDefined', 'SchemeRegistered']) expect(inputOfQ2(type, { periodId: '2026-Q3' })).toBe(true);
  });

  it('takes the periods opened and cancelled up to it, and the closes strictly before it', () => {
    expect([inputOfQ2('PeriodOpened', { periodId: '2026-Q1' }), inputOfQ2('PeriodOpened', { periodId: '2026-Q2' }), inputOfQ2('PeriodOpened', { periodId: '2026-Q3' })]).toEqual([true, true, false]);
    expect([inputOfQ2('PeriodCancelled', { periodId: '2026-Q1' }), inputOfQ2('PeriodCancelled', { periodId: '2026-Q2' }), inputOfQ2('PeriodCancelled', { periodId: '2026-Q3' })]).toEqual([true, true, false]);
    expect([inputOfQ2('PeriodClosed', { periodId: '2026-Q1' }), inputOfQ2('PeriodClosed', { periodId: '2026-Q2' }), inputOfQ2('PeriodClosed', { periodId: '2026-Q3' })]).toEqual([true, false, false]);
  });

  it('takes no proposal, rejection or sign-off, of the period itself or an earlier one', () => {
    for (const type of ['PeriodCloseProposed', 'PeriodCloseRejected', 'StatementAcknowledged', 'StatementDisputed']) {
      expect([inputOfQ2(type, { periodId: '2026-Q1' }), inputOfQ2(type, { periodId: '2026-Q2' })]).toEqual([false, false]);
    }
  });

  it('takes safety facts and measurements of the period itself only', () => {
    for (const type of ['SafetyIncidentReported', 'HoursWorkedRecorded', 'KpiMeasurementRecorded']) {
      expect([inputOfQ2(type, { periodId: '2026-Q1' }), inputOfQ2(type, { periodId: '2026-Q2' })]).toEqual([false, true]);
    }
  });

  it('takes scheme facts recorded up to it, none of a later or unknown period, and no event outside the ledger', () => {
    expect([inputOfQ2('DefinedCostRecorded', { periodId: '2026-Q1' }), inputOfQ2('DefinedCostRecorded', { periodId: '2026-Q2' })]).toEqual([true, true]);
    expect([inputOfQ2('DefinedCostRecorded', { periodId: '2026-Q3' }), inputOfQ2('DefinedCostRecorded', { periodId: '2026-Q9' })]).toEqual([false, false]);
    expect(inputOfQ2('RoleGranted', { periodId: '2026-Q1' })).toBe(false);
  });

  it('takes every known period’s facts while the certified period is not opened yet, and still none of an unknown one', () => {
    const early = initialLedger('sma');
    early.periods.push({ periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31', sequence: 1, certificate: null });
    expect(isPeriodInput(event('DefinedCostRecorded', { periodId: '2026-Q1' }), early, '2026-Q2')).toBe(true);
    expect(isPeriodInput(event('PeriodClosed', { periodId: '2026-Q1' }), early, '2026-Q2')).toBe(true);
    expect(isPeriodInput(event('DefinedCostRecorded', { periodId: '2026-Q9' }), early, '2026-Q2')).toBe(false);
  });
});

describe('certifying a period from its events', () => {
  let events: StoredEvent[];
  beforeAll(async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    await seed(store, 'sma', fixture('worked-example.ndjson'), { now: () => new Date('2026-04-02T09:00:00.000Z') });
    events = await collect(store.readAll());
    await store.close();
  });
  const certify = (periodId: string, keepInputs?: boolean, trackLedgerDigest?: boolean) => {
    const certification = new PeriodCertification('sma', periodId, keepInputs, trackLedgerDigest);
    for (const stored of events) certification.add(stored);
    return certification;
  };

  it('digests each input as "stream, revision, type, canonical data", one line each, in log order', () => {
    const certification = certify('2026-Q1', true);
    const lines = certification.inputs.map((input) => `${input.streamName}\n${input.revision}\n${input.type}\n${canonicalJson(input.data)}\n`);
    const figures = certification.certificate('2026-04-02T09:00:00.000Z');
    expect(figures.inputs).toEqual({
      digest: `sha256:${createHash('sha256').update(lines.join('')).digest('hex')}`,
      eventCount: certification.inputs.length,
      upToPosition: `${events.at(-1)!.position.commit}/${events.at(-1)!.position.prepare}`,
    });
  });

  it('keeps no events and no ledger digest unless asked', () => {
    const certification = certify('2026-Q1');
    expect(certification.inputs).toEqual([]);
    expect(certification.certificate('2026-04-02T09:00:00.000Z').ledger).toBeNull();
  });

  it('digests the whole ledger as a tree of every event when asked', () => {
    const ledger = certify('2026-Q1', false, true).certificate('2026-04-02T09:00:00.000Z').ledger;
    expect(ledger).toEqual({ algorithm: expect.any(String), treeSize: events.length, root: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('folds only the ledger’s own events into the figures', () => {
    const certification = certify('2026-Q1');
    const counted = certification.state.eventCount;
    certification.add({ ...events[0], id: 'grant', type: 'RoleGranted', data: { subject: 'auditor@example', role: 'auditor' } });
    expect(certification.state.eventCount).toBe(counted);
  });

  it('refuses a period that has not been opened, naming it', () => {
    expect(() => certify('2026-Q4').certificate('2026-04-02T09:00:00.000Z')).toThrow(expect.objectContaining({ code: 'period_not_found', message: 'periodId: period 2026-Q4 has not been opened' }));
  });

  it('gives the recorded certificate of a period already closed, not a recomputation', () => {
    const certification = certify('2026-Q1');
    const recorded = { ...certification.certificate('2026-04-02T09:00:00.000Z'), proposedBy: 'p', approvedBy: 'a' };
    findLedgerPeriod(certification.state, '2026-Q1')!.certificate = recorded as never;
    expect(certification.certificate('2026-05-01T00:00:00.000Z')).toBe(recorded);
  });

  it('compares a recomputation with a certificate: both digests and counts, and whether each matches', () => {
    const figures = certify('2026-Q1').certificate('2026-04-02T09:00:00.000Z');
    const certificate = { ...figures, inputs: { ...figures.inputs, digest: 'sha256:other', eventCount: 1 } };
    expect(compareWithCertificate(certify('2026-Q1'), certificate as never)).toEqual({
      allianceId: 'sma',
      periodId: '2026-Q1',
      certifiedAt: '2026-04-02T09:00:00.000Z',
      recorded: certificate.inputs,
      recomputed: { digest: figures.inputs.digest, eventCount: figures.inputs.eventCount },
      digestMatches: false,
      figuresMatch: true,
    });
  });
});
