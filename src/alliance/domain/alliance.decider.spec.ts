import { allianceDecider } from './alliance.decider';
import { AllianceFormed, KpiDefined, upcastAllianceTerms } from './alliance.events';
import { allianceFormed, kpiDefined, workedExampleTerms } from '../../../test/support/alliance-fixtures';
import { deciderSpec } from '../../../test/support/decider-spec';

const spec = deciderSpec(allianceDecider);
const afr = {
  allianceId: 'sma',
  kpiId: 'afr',
  name: 'Accident frequency rate',
  unit: 'per 100,000 hours',
  source: 'afr' as const,
  poor: '0.25',
  mcos: '0.15',
  outstanding: '0.05',
  weight: '0.30',
  gate: true,
  min: null as string | null,
  max: null as string | null,
};

describe('alliance decider', () => {
  describe('FormAlliance', () => {
    it('forms the alliance with money normalised to pence', () => {
      const terms = workedExampleTerms({ rewardPoolMax: '6000000', liabilityMax: '6000000.5' });
      spec.given([]).when({ type: 'FormAlliance', terms }).then([
        { type: 'AllianceFormed', data: { ...terms, painCap: '30000000.00', rewardPoolMax: '6000000.00', liabilityMax: '6000000.50', closeApprovals: 2 } },
      ]);
    });

    it('records how many people close a period: two unless one is asked for', () => {
      const approvalsOf = (closeApprovals?: 1 | 2) => {
        const [event] = allianceDecider.decide({ type: 'FormAlliance', terms: workedExampleTerms({ closeApprovals }) }, allianceDecider.initialState());
        return event.type === 'AllianceFormed' && event.data.closeApprovals;
      };
      expect(approvalsOf()).toBe(2);
      expect(approvalsOf(1)).toBe(1);
      expect(approvalsOf(2)).toBe(2);
    });

    it('reads an alliance formed before closeApprovals existed as closing with one approval', () => {
      const { closeApprovals: _closeApprovals, ...written } = allianceFormed().data;
      const state = allianceDecider.evolve(allianceDecider.initialState(), { type: 'AllianceFormed', data: written as AllianceFormed['data'] });
      expect(state.status === 'formed' && state.terms.closeApprovals).toBe(1);
    });

    it('accepts the formation repeated without closeApprovals as it was formed, and refuses changing it', () => {
      const { closeApprovals: _closeApprovals, ...written } = allianceFormed().data;
      const before = { type: 'AllianceFormed' as const, data: written as AllianceFormed['data'] };
      spec.given([before]).when({ type: 'FormAlliance', terms: workedExampleTerms() }).thenNothing();
      spec.given([before]).when({ type: 'FormAlliance', terms: workedExampleTerms({ closeApprovals: 1 }) }).thenNothing();
      spec.given([before]).when({ type: 'FormAlliance', terms: workedExampleTerms({ closeApprovals: 2 }) }).thenRefused('alliance_already_formed', 'allianceId');
      spec.given([allianceFormed()]).when({ type: 'FormAlliance', terms: workedExampleTerms({ closeApprovals: 1 }) }).thenRefused('alliance_already_formed', 'allianceId');
    });

    it('defaults the pain cap to the sum of the partners’ fees at risk', () => {
      const [event] = allianceDecider.decide({ type: 'FormAlliance', terms: workedExampleTerms({ painCap: null }) }, allianceDecider.initialState());
      expect(event.type === 'AllianceFormed' && event.data.painCap).toBe('30000000.00');
    });

    it('accepts the same formation again without a second event', () => {
      spec.given([allianceFormed()]).when({ type: 'FormAlliance', terms: workedExampleTerms() }).thenNothing();
    });

    it('refuses to form an alliance again with different terms', () => {
      spec.given([allianceFormed()]).when({ type: 'FormAlliance', terms: workedExampleTerms({ name: 'Renamed' }) }).thenRefused('alliance_already_formed', 'allianceId');
    });

    it('refuses allocation shares that do not sum to exactly 1', () => {
      const terms = workedExampleTerms();
      terms.partners[0] = { ...terms.partners[0], allocationShare: '0.05' };
      spec.given([]).when({ type: 'FormAlliance', terms }).thenRefused('invalid_command', 'partners', /sum to 0\.95; they must sum to exactly 1/);
    });

    it('refuses a partner listed twice', () => {
      const terms = workedExampleTerms();
      terms.partners[1] = { ...terms.partners[1], partnerId: 'P' };
      spec.given([]).when({ type: 'FormAlliance', terms }).thenRefused('invalid_command', 'partners[1].partnerId', /duplicates partner P/);
    });

    it('refuses share bands that leave a gap', () => {
      const terms = workedExampleTerms({ shareBands: [{ from: '0', to: '0.9', share: '0.25' }, { from: '0.95', to: null, share: '0.5' }] });
      spec.given([]).when({ type: 'FormAlliance', terms }).thenRefused('invalid_command', 'shareBands[1].from', /gap after 0\.9/);
    });

    it('refuses share bands that overlap', () => {
      const terms = workedExampleTerms({ shareBands: [{ from: '0', to: '1', share: '0.25' }, { from: '0.9', to: null, share: '0.5' }] });
      spec.given([]).when({ type: 'FormAlliance', terms }).thenRefused('invalid_command', 'shareBands[1].from', /overlaps/);
    });

    it('refuses bands that do not start at 0, or close the last band, or leave an earlier band open', () => {
      spec.given([]).when({ type: 'FormAlliance', terms: workedExampleTerms({ shareBands: [{ from: '0.5', to: null, share: '0.5' }] }) }).thenRefused('invalid_command', 'shareBands[0].from', /start at 0/);
      spec.given([]).when({ type: 'FormAlliance', terms: workedExampleTerms({ shareBands: [{ from: '0', to: '2', share: '0.5' }] }) }).thenRefused('invalid_command', 'shareBands[0].to', /open-ended/);
      spec
        .given([])
        .when({ type: 'FormAlliance', terms: workedExampleTerms({ shareBands: [{ from: '0', to: null, share: '0.5' }, { from: '1', to: null, share: '0.5' }] }) })
        .thenRefused('invalid_command', 'shareBands[0].to', /only the last band/);
    });
  });

  describe('upcastAllianceTerms', () => {
    it('keeps a recorded closeApprovals and reads a missing one as 1', () => {
      const { closeApprovals: _closeApprovals, ...written } = allianceFormed().data;
      expect(upcastAllianceTerms(written).closeApprovals).toBe(1);
      expect(upcastAllianceTerms({ ...written, closeApprovals: 2 }).closeApprovals).toBe(2);
    });
  });

  describe('DefineKpi', () => {
    it('defines a KPI and records which way is better', () => {
      spec.given([allianceFormed()]).when({ type: 'DefineKpi', definition: afr }).then([{ type: 'KpiDefined', data: { ...afr, direction: 'lower-is-better' } }]);
    });

    it('refuses a KPI for an alliance that has not been formed', () => {
      spec.given([]).when({ type: 'DefineKpi', definition: afr }).thenRefused('alliance_not_found', 'allianceId');
    });

    it('refuses anchors where mcos does not lie strictly between poor and outstanding', () => {
      spec.given([allianceFormed()]).when({ type: 'DefineKpi', definition: { ...afr, mcos: '0.30' } }).thenRefused('invalid_command', 'mcos', /strictly between/);
      spec.given([allianceFormed()]).when({ type: 'DefineKpi', definition: { ...afr, mcos: '0.25' } }).thenRefused('invalid_command', 'mcos');
    });

    it('accepts the same definition again without a second event, and records a changed one', () => {
      const existing = kpiDefined('afr', { ...afr, direction: 'lower-is-better' });
      spec.given([allianceFormed(), existing]).when({ type: 'DefineKpi', definition: afr }).thenNothing();
      spec.given([allianceFormed(), existing]).when({ type: 'DefineKpi', definition: { ...afr, weight: '0.25' } }).then([
        { type: 'KpiDefined', data: { ...afr, weight: '0.25', direction: 'lower-is-better' } },
      ]);
    });

    describe('bounds on measured values', () => {
      const percentage = { ...afr, kpiId: 'milestones', source: 'measured' as const, poor: '80', mcos: '90', outstanding: '100' };
      it('records a range for a measured KPI', () => {
        spec.given([allianceFormed()]).when({ type: 'DefineKpi', definition: { ...percentage, min: '0', max: '100' } }).then([
          { type: 'KpiDefined', data: { ...percentage, min: '0', max: '100', direction: 'higher-is-better' } },
        ]);
      });
      it('refuses an empty range, and a range on a derived KPI', () => {
        spec.given([allianceFormed()]).when({ type: 'DefineKpi', definition: { ...percentage, min: '100', max: '100' } }).thenRefused('invalid_command', 'max', /greater than min \(100\)/);
        spec.given([allianceFormed()]).when({ type: 'DefineKpi', definition: { ...afr, min: '0' } }).thenRefused('invalid_command', 'min', /derived/);
      });
      it('reads a KPI defined before bounds existed as unbounded, so defining it again unchanged records nothing', () => {
        const { min: _min, max: _max, ...firstShape } = { ...percentage, direction: 'higher-is-better' as const };
        const old = { type: 'KpiDefined', data: firstShape } as unknown as KpiDefined;
        const state = allianceDecider.evolve(allianceDecider.evolve(allianceDecider.initialState(), allianceFormed()), old);
        expect(state.status === 'formed' && state.kpis.get('milestones')).toMatchObject({ min: null, max: null });
        spec.given([allianceFormed(), old]).when({ type: 'DefineKpi', definition: percentage }).thenNothing();
      });
    });
  });
});
