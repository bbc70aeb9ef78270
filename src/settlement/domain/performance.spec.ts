import fc from 'fast-check';
import { Fraction } from '../../shared/fraction';
import { accidentFrequencyRate, scoreKpi } from './kpi-score';
import { assessPerformance, KpiInput } from './performance';

const d = Fraction.fromDecimal;
const anchors = (poor: string, mcos: string, outstanding: string) => ({ poor: d(poor), mcos: d(mcos), outstanding: d(outstanding) });
const kpi = (kpiId: string, weight: string, poor: string, mcos: string, outstanding: string, value: Fraction | null, gate = false): KpiInput => ({
  kpiId,
  weight: d(weight),
  gate,
  anchors: anchors(poor, mcos, outstanding),
  value,
});

const afr = accidentFrequencyRate(2, d('2500000'));
const workedExample = (overrides: Partial<Record<string, Fraction | null>> = {}, gateMilestones = false): KpiInput[] => [
  kpi('afr', '0.30', '0.25', '0.15', '0.05', 'afr' in overrides ? overrides.afr! : afr, true),
  kpi('lane-metre-days', '0.25', '120', '100', '80', d('90')),
  kpi('milestones', '0.20', '80', '90', '100', 'milestones' in overrides ? overrides.milestones! : d('85'), gateMilestones),
  kpi('carbon', '0.10', '0', '10', '30', d('20')),
  kpi('skills', '0.15', '50', '100', '150', d('130')),
];
const sixMillion = 600000000n;

describe('KPI scoring and the performance amount', () => {
  it('derives the worked example’s AFR: 2 RIDDOR in 2,500,000 hours = 0.08', () => {
    expect(afr!.toFixed(6)).toBe('0.080000');
    expect(accidentFrequencyRate(3, Fraction.ZERO)).toBeNull();
  });

  it('scores the worked example’s KPIs from their anchors', () => {
    const result = assessPerformance(workedExample(), 0, sixMillion, sixMillion);
    expect(result.kpis.map((line) => line.score!.toFixed(4))).toEqual(['70.0000', '50.0000', '-50.0000', '50.0000', '60.0000']);
    expect(result.score!.eq(d('37.5'))).toBe(true);
    expect(result.amount).toBe(225000000n);
    expect(result.gated).toBe(false);
  });

  it('clamps at the anchors: outstanding or better is +100, poor or worse is −100', () => {
    expect(scoreKpi(d('200'), anchors('50', '100', '150')).eq(Fraction.of(100n))).toBe(true);
    expect(scoreKpi(d('0.01'), anchors('0.25', '0.15', '0.05')).eq(Fraction.of(100n))).toBe(true);
    expect(scoreKpi(d('0.30'), anchors('0.25', '0.15', '0.05')).eq(Fraction.of(-100n))).toBe(true);
    expect(scoreKpi(d('100'), anchors('50', '100', '150')).isZero()).toBe(true);
  });

  it('scores each half of an asymmetric KPI on its own span', () => {
    // Carbon: poor 0, MCOS 10, outstanding 30. The lower half spans 10, the upper 20.
    const carbon = anchors('0', '10', '30');
    expect(scoreKpi(d('5'), carbon).eq(Fraction.of(-50n))).toBe(true);
    expect(scoreKpi(d('20'), carbon).eq(Fraction.of(50n))).toBe(true);
    expect(scoreKpi(d('2.5'), carbon).eq(Fraction.of(-75n))).toBe(true);
    // Lower is better: poor 130, MCOS 100, outstanding 90.
    const disruption = anchors('130', '100', '90');
    expect(scoreKpi(d('115'), disruption).eq(Fraction.of(-50n))).toBe(true);
    expect(scoreKpi(d('95'), disruption).eq(Fraction.of(50n))).toBe(true);
  });

  it('is exactly +100, 0 and −100 at the anchors themselves, in both orientations', () => {
    for (const kpiAnchors of [anchors('0', '10', '30'), anchors('130', '100', '90')]) {
      expect(scoreKpi(kpiAnchors.outstanding, kpiAnchors).eq(Fraction.of(100n))).toBe(true);
      expect(scoreKpi(kpiAnchors.mcos, kpiAnchors).isZero()).toBe(true);
      expect(scoreKpi(kpiAnchors.poor, kpiAnchors).eq(Fraction.of(-100n))).toBe(true);
    }
  });

  it('rounds the performance amount half away from zero, from the pool its sign picks', () => {
    const one = (value: string) => [kpi('only', '1', '0', '10', '30', d(value))];
    // S = +50 → 50% of 1p = 0.5p → 1p; S = −50 → 50% of a 3p liability = −1.5p → −2p.
    expect(assessPerformance(one('20'), 0, 1n, 3n).amount).toBe(1n);
    expect(assessPerformance(one('5'), 0, 1n, 3n).amount).toBe(-2n);
    // S = 0 exactly pays nothing and takes nothing.
    expect(assessPerformance(one('10'), 0, 1n, 3n)).toMatchObject({ amount: 0n, gated: false });
  });

  it('takes a negative score from the liability', () => {
    const result = assessPerformance(workedExample({ milestones: d('70') }), 0, sixMillion, 300000000n);
    // S = 21 + 12.5 − 20 + 5 + 9 = 27.5 → still positive; now push AFR to poor too.
    expect(result.score!.eq(d('27.5'))).toBe(true);
    const poor = assessPerformance(workedExample({ milestones: d('70'), afr: d('0.5') }), 0, sixMillion, 300000000n);
    // S = −30 + 12.5 − 20 + 5 + 9 = −23.5 → −23.5% of 3,000,000.00 = −705,000.00
    expect(poor.amount).toBe(-70500000n);
  });

  it('gates a positive amount on a fatality or a gate KPI at −100, but keeps a liability', () => {
    expect(assessPerformance(workedExample(), 1, sixMillion, sixMillion)).toMatchObject({ gated: true, amount: 0n });
    // Milestones as a gate KPI at poor (−100): S = 21 + 12.5 − 20 + 5 + 9 = 27.5, yet nothing is paid.
    const gateAtPoor = assessPerformance(workedExample({ milestones: d('80') }, true), 0, sixMillion, sixMillion);
    expect(gateAtPoor).toMatchObject({ gated: true, amount: 0n });
    expect(gateAtPoor.score!.eq(d('27.5'))).toBe(true);
    expect(assessPerformance(workedExample({ milestones: d('81') }, true), 0, sixMillion, sixMillion).gated).toBe(false);
    // AFR (a gate) at poor drives S to −13.5: the liability still applies.
    expect(assessPerformance(workedExample({ afr: d('0.25') }), 0, sixMillion, sixMillion)).toMatchObject({ gated: true, amount: -81000000n });
    const liability = assessPerformance(workedExample({ afr: d('0.5'), milestones: d('0') }), 1, sixMillion, sixMillion);
    expect(liability.gated).toBe(true);
    expect(liability.amount < 0n).toBe(true);
  });

  it('pays nothing and lists the KPIs without a value', () => {
    const result = assessPerformance(workedExample({ afr: null, milestones: null }), 0, sixMillion, sixMillion);
    expect(result).toMatchObject({ score: null, amount: 0n, missingKpis: ['afr', 'milestones'] });
  });

  it('keeps every score within ±100', () => {
    const decimalText = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => Fraction.of(BigInt(n), 100n));
    fc.assert(
      fc.property(decimalText, decimalText, decimalText, decimalText, (value, a, b, c) => {
        const [poor, mcos, outstanding] = [a, b, c].sort((x, y) => x.compare(y));
        fc.pre(poor.lt(mcos) && mcos.lt(outstanding));
        for (const orientation of [anchors('0', '0', '0'), null]) {
          const used = orientation ? { poor, mcos, outstanding } : { poor: outstanding, mcos, outstanding: poor };
          const score = scoreKpi(value, used);
          expect(score.compare(Fraction.of(100n))).toBeLessThanOrEqual(0);
          expect(score.compare(Fraction.of(-100n))).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
