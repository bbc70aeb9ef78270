import fc from 'fast-check';
import { AllianceTerms, KpiDefinition } from '../../alliance/domain/alliance.events';
import { allocate } from '../../shared/allocation';
import { Fraction } from '../../shared/fraction';
import { formatPence, parsePence } from '../../shared/money';
import { derivePeriod, explainAllocation, scoringRule } from './derivation';
import { PeriodSummary } from './summary.types';

const terms: AllianceTerms = {
  allianceId: 'sma',
  name: 'Smart Motorway Alliance',
  owner: 'National Highways',
  partners: [
    { partnerId: 'P', name: 'P', role: 'production-management', allocationShare: '0.10', feeAtRisk: '0' },
    { partnerId: 'D1', name: 'D1', role: 'design', allocationShare: '0.45', feeAtRisk: '0' },
    { partnerId: 'S1', name: 'S1', role: 'delivery', allocationShare: '0.45', feeAtRisk: '0' },
  ],
  shareBands: [
    { from: '0', to: '0.9', share: '0.25' },
    { from: '0.9', to: '1.1', share: '0.5' },
    { from: '1.1', to: null, share: '0.75' },
  ],
  painCap: '30000000.00',
  gainCap: null,
  rewardPoolMax: '12000000.00',
  liabilityMax: '6000000.00',
  closeApprovals: 1,
};

const kpi = (kpiId: string, poor: string, mcos: string, outstanding: string): KpiDefinition => ({
  allianceId: 'sma', kpiId, name: kpiId, unit: '%', source: 'measured', poor, mcos, outstanding, weight: '0.5', gate: false,
  direction: Fraction.fromDecimal(poor).gt(Fraction.fromDecimal(outstanding)) ? 'lower-is-better' : 'higher-is-better', min: null, max: null,
});

function summary(target: string, outturn: string, partnersShare: string, capApplied: 'pain' | 'gain' | null = null): PeriodSummary {
  return {
    allianceId: 'sma', periodId: '2026-Q1', status: 'provisional',
    cost: { target, outturn, variance: '0', ratio: null, partnersShare, ownerShare: '0', capApplied, partnersShareThisPeriod: partnersShare, previousPartnersShare: '0.00' },
    performance: {
      score: '25.0000', gated: false, amount: '3000000.00', missingKpis: [], weightsTotal: '1',
      kpis: [
        { kpiId: 'milestones', name: 'Milestones', unit: '%', value: '95.000000', score: '50.0000', weight: '0.5', gate: false },
        { kpiId: 'carbon', name: 'Carbon', unit: '%', value: '10.000000', score: '0.0000', weight: '0.5', gate: false },
      ],
    },
    partners: [],
  };
}

describe('the derivation of a period’s figures', () => {
  it('writes out the worked example’s underrun band by band: 0.05 of T at one half', () => {
    const derivation = derivePeriod(summary('520000000.00', '494000000.00', '13000000.00'), terms, [kpi('milestones', '80', '90', '100'), kpi('carbon', '0', '10', '30')]);
    expect(derivation.cost).toMatchObject({ ratio: '0.95', kind: 'underrun', uncapped: '13000000.0000', partnersShare: '13000000.00' });
    expect(derivation.cost.bands.map((band) => [band.overlap, band.length, band.amount])).toEqual([
      [null, '0', '0.0000'],
      [{ from: '0.95', to: '1' }, '0.05', '13000000.0000'],
      [null, '0', '0.0000'],
    ]);
  });

  it('shows the uncapped pain of an overrun beside the cap that limits it', () => {
    const derivation = derivePeriod(summary('520000000.00', '600000000.00', '-30000000.00', 'pain'), terms, []);
    // [1, 1.153846…): 0.1 of T at 0.5, 0.053846… of T at 0.75 → 26,000,000 + 21,000,000.
    expect(derivation.cost.bands.map((band) => band.amount)).toEqual(['0.0000', '26000000.0000', '21000000.0000']);
    expect(derivation.cost).toMatchObject({ kind: 'overrun', uncapped: '-47000000.0000', capApplied: 'pain', partnersShare: '-30000000.00' });
  });

  it('scores each KPI on the piece of its line the value falls on, and weighs it', () => {
    const derivation = derivePeriod(summary('1.00', '1.00', '0.00'), terms, [kpi('milestones', '80', '90', '100'), kpi('carbon', '0', '10', '30')]);
    expect(derivation.performance.kpis[0]).toMatchObject({ rule: 'between MCOS and outstanding: 100 × (95 − 90) / (100 − 90) = 50.0000', weighted: '25.0000' });
    expect(derivation.performance).toMatchObject({ score: '25.0000', pool: { kind: 'reward', max: '12000000.00' }, unrounded: '3000000.0000', amount: '3000000.00' });
    expect(scoringRule(Fraction.fromDecimal('130'), { poor: '120', mcos: '100', outstanding: '80' })).toBe('130 is at or beyond poor (120): −100');
    expect(scoringRule(Fraction.fromDecimal('110'), { poor: '120', mcos: '100', outstanding: '80' })).toBe('between poor and MCOS: −100 × (100 − 110) / (100 − 120) = -50.0000');
  });

  it('says when a value and S are shown rounded, so the step from the shown S does not give the ledger’s amount', () => {
    const exact = derivePeriod(summary('1.00', '1.00', '0.00'), terms, [kpi('milestones', '80', '90', '100'), kpi('carbon', '0', '10', '30')]);
    expect(exact.performance.shownScoreIsRounded).toBe(false);
    expect(exact.performance.kpis[0].rule).not.toContain('rounded');

    // The demo's 2026-Q2: an AFR of incidents × 100,000 / hours, shown to 6 places, scores 48.4352 unrounded, 48.4350 as shown.
    const rounded = summary('1.00', '1.00', '0.00');
    rounded.performance = {
      ...rounded.performance,
      score: '-4.9944',
      amount: '-299665.63',
      kpis: [
        { kpiId: 'afr', name: 'AFR', unit: 'per 100,000 hours', value: '0.101565', score: '48.4352', weight: '0.5', gate: false },
        { kpiId: 'milestones', name: 'Milestones', unit: '%', value: '82.200000', score: '-78.0000', weight: '0.5', gate: false },
      ],
    };
    const derivation = derivePeriod(rounded, terms, [kpi('afr', '0.25', '0.15', '0.05'), kpi('milestones', '80', '90', '100')]);
    expect(derivation.performance.kpis[0].rule).toBe('between MCOS and outstanding: 100 × (0.101565 − 0.15) / (0.05 − 0.15) = 48.4350; the value is shown rounded: unrounded, it scores 48.4352');
    expect(derivation.performance.kpis[1].rule).not.toContain('rounded');
    expect(derivation.performance).toMatchObject({ unrounded: '-299664.0000', amount: '-299665.63', shownScoreIsRounded: true });
  });

  it('shows which partners receive the pennies left after truncating every quota', () => {
    const split = explainAllocation(-1n, [Fraction.fromDecimal('0.10'), Fraction.fromDecimal('0.45'), Fraction.fromDecimal('0.45')], ['P', 'D1', 'S1']);
    expect(split.parties.map((party) => [party.quota, party.truncated, party.extraPenny, party.part])).toEqual([
      ['-0.0010', '0.00', false, '0.00'],
      ['-0.0045', '0.00', true, '-0.01'],
      ['-0.0045', '0.00', false, '0.00'],
    ]);
    expect(split.leftoverPennies).toBe(1);
  });

  it('explains every split with the parts allocate() pays, truncated part plus at most one penny each', () => {
    const shares = terms.partners.map((partner) => Fraction.fromDecimal(partner.allocationShare));
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), (amount) => {
        const split = explainAllocation(amount, shares, ['P', 'D1', 'S1']);
        expect(split.parties.map((party) => party.part)).toEqual(allocate(amount, shares).map(formatPence));
        for (const party of split.parties) {
          const extra = parsePence(party.part) - parsePence(party.truncated);
          expect(extra === 0n ? !party.extraPenny : party.extraPenny && (extra === 1n || extra === -1n)).toBe(true);
        }
      }),
    );
  });
  it('splits each money figure among the partners, and carries the caps and each KPI’s anchors', () => {
    const figures = summary('520000000.00', '494000000.00', '13000000.00');
    figures.cost.previousPartnersShare = '1000.01';
    const derivation = derivePeriod(figures, terms, [kpi('milestones', '80', '90', '100')]);
    const parts = (split: { parties: Array<{ partnerId: string; part: string }> }) => split.parties.map(({ partnerId, part }) => [partnerId, part]);
    expect(parts(derivation.allocation.partnersShare)).toEqual([['P', '1300000.00'], ['D1', '5850000.00'], ['S1', '5850000.00']]);
    expect(parts(derivation.allocation.previousPartnersShare)).toEqual([['P', '100.00'], ['D1', '450.01'], ['S1', '450.00']]);
    expect(parts(derivation.allocation.performance)).toEqual([['P', '300000.00'], ['D1', '1350000.00'], ['S1', '1350000.00']]);
    expect(derivation.cost).toMatchObject({ painCap: '30000000.00', gainCap: null, previousPartnersShare: '1000.01' });
    expect(derivation.performance.kpis[0]).toMatchObject({ poor: '80', mcos: '90', outstanding: '100', direction: 'higher-is-better' });
  });

  it('has no bands and no ratio when there is no target yet', () => {
    expect(derivePeriod(summary('0.00', '500.00', '0.00'), terms, []).cost).toMatchObject({ target: '0.00', outturn: '500.00', ratio: null, kind: 'no target', bands: [], uncapped: '0.0000' });
  });

  it('says why a KPI has no score: no value yet, or anchors it does not know', () => {
    const figures = summary('1.00', '1.00', '0.00');
    figures.performance.kpis = [
      { kpiId: 'milestones', name: 'Milestones', unit: '%', value: null, score: null, weight: '0.5', gate: false },
      { kpiId: 'carbon', name: 'Carbon', unit: '%', value: '10.000000', score: '0.0000', weight: '0.5', gate: false },
    ];
    const [missing, unknown] = derivePeriod(figures, terms, [kpi('milestones', '80', '90', '100')]).performance.kpis;
    expect(missing).toMatchObject({ rule: 'no value for the period yet', weighted: null, poor: '80' });
    expect(unknown).toMatchObject({ rule: 'anchors unknown', weighted: '0.0000', poor: null, mcos: null, outstanding: null, direction: null });
  });

  it('has no pool while S is unknown, the reward pool at an S of exactly 0, and no rounding to explain when a gate withholds a gain', () => {
    const unknown = summary('1.00', '1.00', '0.00');
    unknown.performance = { ...unknown.performance, score: null, amount: '0.00' };
    expect(derivePeriod(unknown, terms, []).performance).toMatchObject({ pool: null, unrounded: null, shownScoreIsRounded: false });
    const zero = summary('1.00', '1.00', '0.00');
    zero.performance = { ...zero.performance, score: '0.0000', amount: '0.00' };
    expect(derivePeriod(zero, terms, []).performance).toMatchObject({ pool: { kind: 'reward', max: '12000000.00' }, unrounded: '0.0000', shownScoreIsRounded: false });
    const gated = summary('1.00', '1.00', '0.00');
    gated.performance = { ...gated.performance, gated: true, amount: '0.00' };
    expect(derivePeriod(gated, terms, []).performance).toMatchObject({ unrounded: '3000000.0000', gated: true, shownScoreIsRounded: false });
    const gatedPain = summary('1.00', '1.00', '0.00');
    gatedPain.performance = { ...gatedPain.performance, score: '-25.0000', gated: true, amount: '-1500000.00' };
    expect(derivePeriod(gatedPain, terms, []).performance).toMatchObject({ pool: { kind: 'liability' }, unrounded: '-1500000.0000', shownScoreIsRounded: false });
  });

  it('scores a value at outstanding +100', () => {
    expect(scoringRule(Fraction.fromDecimal('100'), { poor: '80', mcos: '90', outstanding: '100' })).toBe('100 is at or beyond outstanding (100): +100');
  });

  it('writes a ratio exactly up to 6 places, and to 6 places beyond', () => {
    const ratio = (target: string, outturn: string) => derivePeriod(summary(target, outturn, '0.00'), terms, []).cost.ratio;
    expect(ratio('1000.00', '123.45')).toBe('0.12345');
    expect(ratio('1000.00', '12345.67')).toBe('12.34567');
    expect(ratio('100000.00', '12345.67')).toBe('0.123457');
    expect(ratio('0.01', '12345.67')).toBe('1234567');
  });
});
