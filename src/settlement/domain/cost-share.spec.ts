import fc from 'fast-check';
import { Fraction } from '../../shared/fraction';
import { parsePence } from '../../shared/money';
import { Band, partnersCostShare } from './cost-share';

const d = Fraction.fromDecimal;
const bands: Band[] = [
  { from: d('0'), to: d('0.9'), share: d('0.25') },
  { from: d('0.9'), to: d('1.1'), share: d('0.5') },
  { from: d('1.1'), to: null, share: d('0.75') },
];
const m = (pounds: string) => parsePence(pounds);
const painCap = m('30000000.00');

describe('partners’ cost share', () => {
  it('gives partners half of the worked example’s underrun in the 0.9–1.1 band', () => {
    const share = partnersCostShare(m('520000000'), m('494000000'), bands, painCap, null);
    expect(share.ratio!.toFixed(6)).toBe('0.950000');
    expect(share.partnersShare).toBe(m('13000000.00'));
    expect(share.capApplied).toBeNull();
  });

  it('caps the worked example’s overrun pain at the pain cap', () => {
    const share = partnersCostShare(m('520000000'), m('600000000'), bands, painCap, null);
    expect(share.uncapped.eq(Fraction.of(-m('47000000')))).toBe(true);
    expect(share.partnersShare).toBe(-m('30000000.00'));
    expect(share.capApplied).toBe('pain');
  });

  it('crosses bands on a deep underrun and applies a gain cap', () => {
    // R = 0.8: 0.1 of T at 0.25 in the first band, 0.1 of T at 0.5 in the second.
    const share = partnersCostShare(m('100000000'), m('80000000'), bands, painCap, null);
    expect(share.partnersShare).toBe(m('7500000.00'));
    expect(partnersCostShare(m('100000000'), m('80000000'), bands, painCap, m('5000000')).capApplied).toBe('gain');
  });

  it('rounds the exact share half away from zero to the penny', () => {
    // T = 1.00, A = 0.99: 0.01 of underrun, all in the 0.9–1.1 band at 0.5 = 0.005 → 0.01.
    expect(partnersCostShare(100n, 99n, bands, painCap, null).partnersShare).toBe(1n);
    expect(partnersCostShare(100n, 101n, bands, painCap, null).partnersShare).toBe(-1n);
    // T = 0.03, A = 0.02 spans two bands: 3 × (0.9 − 2/3) × 0.25 + 3 × 0.1 × 0.5 = 0.325 → 0.00.
    expect(partnersCostShare(3n, 2n, bands, painCap, null).partnersShare).toBe(0n);
  });

  it('is zero with no target in the pool', () => {
    expect(partnersCostShare(0n, 0n, bands, painCap, null)).toMatchObject({ ratio: null, partnersShare: 0n });
  });

  // Boundaries a property test reaches only by chance: T = £10.00 keeps the arithmetic visible.
  describe('at the edges', () => {
    const target = 1000n;

    it('splits exactly at the band edges and is zero at R = 1', () => {
      expect(partnersCostShare(target, 1000n, bands, painCap, null)).toMatchObject({ partnersShare: 0n, capApplied: null });
      // R = 0.9: all of [0.9, 1) in the 0.5 band, nothing from the 0.25 band below it.
      expect(partnersCostShare(target, 900n, bands, painCap, null).partnersShare).toBe(50n);
      // R = 1.1: all of [1, 1.1) in the 0.5 band, nothing from the 0.75 band above it.
      expect(partnersCostShare(target, 1100n, bands, painCap, null).partnersShare).toBe(-50n);
      // R = 1.2: 0.1 at 0.5 and 0.1 in the open-ended band at 0.75.
      expect(partnersCostShare(target, 1200n, bands, painCap, null).partnersShare).toBe(-125n);
      // R = 0: 0.9 at 0.25 and 0.1 at 0.5.
      expect(partnersCostShare(target, 0n, bands, painCap, null).partnersShare).toBe(275n);
    });

    it('does not flag a cap the share only reaches', () => {
      expect(partnersCostShare(target, 1100n, bands, 50n, null)).toMatchObject({ partnersShare: -50n, capApplied: null });
      expect(partnersCostShare(target, 1100n, bands, 49n, null)).toMatchObject({ partnersShare: -49n, capApplied: 'pain' });
      expect(partnersCostShare(target, 900n, bands, painCap, 50n)).toMatchObject({ partnersShare: 50n, capApplied: null });
      expect(partnersCostShare(target, 900n, bands, painCap, 49n)).toMatchObject({ partnersShare: 49n, capApplied: 'gain' });
    });

    it('caps pain at zero when the pain cap is zero, and leaves an underrun alone', () => {
      expect(partnersCostShare(target, 1100n, bands, 0n, null)).toMatchObject({ partnersShare: 0n, capApplied: 'pain' });
      expect(partnersCostShare(target, 900n, bands, 0n, null)).toMatchObject({ partnersShare: 50n, capApplied: null });
    });

    it('compares the pain cap with the exact share, not the rounded one', () => {
      // T = 0.03, A = 0.04: 3 × 1/3 × 0.5 = 0.5p exactly, uncapped; a 0p cap bites, a 1p cap does not.
      expect(partnersCostShare(3n, 4n, bands, 1n, null)).toMatchObject({ partnersShare: -1n, capApplied: null });
      expect(partnersCostShare(3n, 4n, bands, 0n, null)).toMatchObject({ partnersShare: 0n, capApplied: 'pain' });
    });
  });

  const money = fc.bigInt({ min: 1n, max: 10n ** 12n });
  const caps = fc.record({ pain: fc.bigInt({ min: 0n, max: 10n ** 11n }), gain: fc.option(fc.bigInt({ min: 0n, max: 10n ** 11n }), { nil: null }) });

  it('never exceeds its caps', () => {
    fc.assert(
      fc.property(money, fc.bigInt({ min: 0n, max: 3n * 10n ** 12n }), caps, (target, outturn, cap) => {
        const { partnersShare } = partnersCostShare(target, outturn, bands, cap.pain, cap.gain);
        expect(partnersShare >= -cap.pain).toBe(true);
        if (cap.gain !== null) expect(partnersShare <= cap.gain).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never rises as the outturn rises', () => {
    fc.assert(
      fc.property(money, fc.bigInt({ min: 0n, max: 2n * 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 11n }), caps, (target, outturn, extra, cap) => {
        const lower = partnersCostShare(target, outturn, bands, cap.pain, cap.gain).partnersShare;
        const higher = partnersCostShare(target, outturn + extra, bands, cap.pain, cap.gain).partnersShare;
        expect(higher <= lower).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
