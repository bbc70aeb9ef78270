import { periodClosed, periodOpened } from '../../../test/support/alliance-fixtures';
import { deciderSpec } from '../../../test/support/decider-spec';
import { CertificateFigures, PeriodSummary } from '../../settlement/domain/summary.types';
import { PeriodCloseProposed, PeriodEvent, upcastCertificate } from './periods.events';
import { periodsDecider, PeriodsCommand } from './periods.decider';

const spec = deciderSpec(periodsDecider);
const q1 = periodOpened('2026-Q1', 1, '2026-01-01', '2026-03-31');
const q2 = periodOpened('2026-Q2', 2, '2026-04-01', '2026-06-30');

function figures(digest = 'sha256:abc', performance: Partial<PeriodSummary['performance']> = {}, at = '2026-04-02T09:00:00.000Z'): CertificateFigures {
  const summary = { periodId: '2026-Q1', status: 'certified', performance: { missingKpis: [], weightsTotal: '1', ...performance } } as unknown as PeriodSummary;
  return { certifiedAt: at, summary, inputs: { digest, eventCount: 3, upToPosition: '9/9' }, ledger: { algorithm: 'rfc6962-sha256', treeSize: 10, root: at.startsWith('2026-04-03') ? 'bb' : 'aa' } };
}

const base = { allianceId: 'sma', periodId: '2026-Q1' };
const close = (closeApprovals: 1 | 2, actor = 'alice', computed = figures()): PeriodsCommand => ({ type: 'ClosePeriod', ...base, figures: computed, closeApprovals, actor });
const propose = (actor = 'alice', computed = figures()): PeriodsCommand => ({ type: 'ProposePeriodClose', ...base, figures: computed, actor });
const approve = (actor = 'bob', computed = figures('sha256:abc', {}, '2026-04-03T10:00:00.000Z')): PeriodsCommand => ({ type: 'ApprovePeriodClose', ...base, figures: computed, actor });
const reject: PeriodsCommand = { type: 'RejectPeriodClose', ...base, reason: 'hours missing' };

function proposed(proposedBy = 'alice', computed = figures()): PeriodCloseProposed {
  return { type: 'PeriodCloseProposed', data: { ...base, proposedBy, proposedAt: computed.certifiedAt, summary: computed.summary, inputs: computed.inputs } };
}

describe('closing a period', () => {
  describe('ClosePeriod', () => {
    it('certifies at once with one approval, naming who closed it and no approver', () => {
      const computed = figures();
      spec.given([q1]).when(close(1, 'carol', computed)).then([
        { type: 'PeriodClosed', data: { ...base, certificate: { ...computed, proposedBy: 'carol', approvedBy: null } } },
      ]);
    });

    it('is refused with approval_required where two people close a period', () => {
      spec.given([q1]).when(close(2)).thenRefused('approval_required', 'periodId', /ProposePeriodClose, then ApprovePeriodClose/);
    });

    it('refuses an unknown period and accepts closing a closed one again', () => {
      spec.given([]).when(close(1)).thenRefused('period_not_found', 'periodId');
      spec.given([q1, periodClosed('2026-Q1')]).when(close(1)).thenNothing();
      spec.given([q1, periodClosed('2026-Q1')]).when(close(2)).thenNothing();
    });

    it('closes periods in order', () => {
      const command = { ...close(1), periodId: '2026-Q2' } as PeriodsCommand;
      spec.given([q1, q2]).when(command).thenRefused('period_close_out_of_order', 'periodId', /2026-Q1 must be closed first/);
    });

    it('refuses a cancelled period', () => {
      spec.given([q1, { type: 'PeriodCancelled', data: { ...base, reason: 'mistake' } }]).when(close(1)).thenRefused('period_cancelled', 'periodId');
    });

    it('refuses while a KPI has no value, naming it, and while the KPI weights do not sum to 1', () => {
      spec.given([q1]).when(close(1, 'alice', figures('sha256:abc', { missingKpis: ['carbon', 'skills'] }))).thenRefused('kpi_values_missing', 'kpis.carbon', /no value/, /carbon, skills/);
      spec.given([q1]).when(close(1, 'alice', figures('sha256:abc', { weightsTotal: '0.8' }))).thenRefused('kpi_weights_incomplete', 'kpis', /sum to 0\.8/);
    });
  });

  describe('ProposePeriodClose', () => {
    it('records the figures it would certify, the digest of their inputs and the proposer', () => {
      spec.given([q1]).when(propose('alice')).then([proposed('alice')]);
    });

    it('applies the rules of any close: in order, complete figures, not closed', () => {
      spec.given([q1, q2]).when({ ...propose(), periodId: '2026-Q2' } as PeriodsCommand).thenRefused('period_close_out_of_order', 'periodId');
      spec.given([q1]).when(propose('alice', figures('sha256:abc', { missingKpis: ['carbon'] }))).thenRefused('kpi_values_missing', 'kpis.carbon');
      spec.given([q1, periodClosed('2026-Q1')]).when(propose()).thenRefused('period_closed', 'periodId');
      spec.given([]).when(propose()).thenRefused('period_not_found', 'periodId');
    });

    it('replaces a pending proposal with new figures, and accepts the same proposal again', () => {
      const fresh = figures('sha256:def', {}, '2026-04-05T09:00:00.000Z');
      spec.given([q1, proposed('alice')]).when(propose('alice', fresh)).then([proposed('alice', fresh)]);
      spec.given([q1, proposed('alice')]).when(propose('carol')).then([proposed('carol')]);
      spec.given([q1, proposed('alice')]).when(propose('alice')).thenNothing();
    });
  });

  describe('ApprovePeriodClose', () => {
    it('certifies exactly the proposed figures, naming the proposer and the approver', () => {
      const original = figures();
      spec.given([q1, proposed('alice', original)]).when(approve('bob')).then([
        {
          type: 'PeriodClosed',
          data: { ...base, certificate: { certifiedAt: '2026-04-03T10:00:00.000Z', summary: original.summary, inputs: original.inputs, proposedBy: 'alice', approvedBy: 'bob', ledger: { algorithm: 'rfc6962-sha256', treeSize: 10, root: 'bb' } } },
        },
      ]);
    });

    it('refuses the proposer approving their own proposal: four eyes', () => {
      spec.given([q1, proposed('alice')]).when(approve('alice')).thenRefused('four_eyes', 'periodId', /alice proposed this close/);
    });

    it('refuses figures whose inputs changed since the proposal: propose again', () => {
      spec.given([q1, proposed('alice')]).when(approve('bob', figures('sha256:changed'))).thenRefused('proposal_stale', 'periodId', /propose again/);
      spec.given([q1, proposed('alice'), proposed('alice', figures('sha256:changed'))]).when(approve('bob', figures('sha256:changed'))).then([
        expect.objectContaining({ type: 'PeriodClosed' }) as PeriodEvent,
      ]);
    });

    it('refuses without a proposal, including after a rejection, and accepts approving a closed period again', () => {
      spec.given([q1]).when(approve()).thenRefused('no_close_proposal', 'periodId', /ProposePeriodClose first/);
      spec.given([q1, proposed('alice'), { type: 'PeriodCloseRejected', data: { ...base, reason: 'no' } }]).when(approve()).thenRefused('no_close_proposal', 'periodId');
      spec.given([q1, periodClosed('2026-Q1')]).when(approve()).thenNothing();
      spec.given([]).when(approve()).thenRefused('period_not_found', 'periodId');
    });
  });

  describe('RejectPeriodClose', () => {
    it('drops the pending proposal', () => {
      spec.given([q1, proposed('alice')]).when(reject).then([{ type: 'PeriodCloseRejected', data: { ...base, reason: 'hours missing' } }]);
    });

    it('refuses without a proposal, or once the period is closed', () => {
      spec.given([q1]).when(reject).thenRefused('no_close_proposal', 'periodId');
      spec.given([q1, periodClosed('2026-Q1')]).when(reject).thenRefused('period_closed', 'periodId');
    });
  });

  describe('upcastCertificate', () => {
    it('reads a certificate recorded before four-eyes closing as naming nobody, and keeps recorded names', () => {
      const { certifiedAt, summary, inputs } = figures();
      expect(upcastCertificate({ certifiedAt, summary, inputs })).toEqual({ certifiedAt, summary, inputs, proposedBy: null, approvedBy: null, ledger: null, signature: null });
      expect(upcastCertificate({ certifiedAt, summary, inputs, proposedBy: 'alice', approvedBy: 'bob' })).toMatchObject({ proposedBy: 'alice', approvedBy: 'bob' });
    });
    it('reads a certificate recorded before the ledger digest and signatures as having neither, and keeps them when recorded', () => {
      const { certifiedAt, summary, inputs, ledger } = figures();
      const signature = { algorithm: 'Ed25519' as const, keyId: 'k1', value: 'c2ln' };
      expect(upcastCertificate({ certifiedAt, summary, inputs, proposedBy: 'alice', approvedBy: null })).toMatchObject({ ledger: null, signature: null });
      expect(upcastCertificate({ certifiedAt, summary, inputs, proposedBy: 'alice', approvedBy: null, ledger, signature })).toMatchObject({ ledger, signature });
    });
  });

  describe('signing', () => {
    const seal = (allianceId: string, periodId: string, certificate: object) => ({ algorithm: 'Ed25519' as const, keyId: 'k1', value: `${allianceId}/${periodId}/${Object.keys(certificate).sort().join(',')}` });

    it('signs the certificate as recorded, digest at the close included, when the command brings a sealer', () => {
      const computed = figures();
      spec.given([q1]).when({ ...(close(1, 'carol', computed) as object), seal } as PeriodsCommand).then([
        {
          type: 'PeriodClosed',
          data: {
            ...base,
            certificate: { ...computed, proposedBy: 'carol', approvedBy: null, signature: { algorithm: 'Ed25519', keyId: 'k1', value: 'sma/2026-Q1/approvedBy,certifiedAt,inputs,ledger,proposedBy,summary' } },
          },
        },
      ]);
    });

    it('signs an approved close with the digest at the approval, not at the proposal', () => {
      const state = [q1, proposed('alice')].reduce(periodsDecider.evolve, periodsDecider.initialState());
      const events = periodsDecider.decide({ ...(approve('bob') as object), seal } as PeriodsCommand, state);
      expect(events[0]).toMatchObject({ type: 'PeriodClosed', data: { certificate: { ledger: { root: 'bb' }, approvedBy: 'bob', signature: { keyId: 'k1' } } } });
    });
  });
});
