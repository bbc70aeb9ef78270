import { daysOnSite, mergeSiteDates, NO_SITE_DATES, requireSiteDatesInOrder } from '../../schemes/domain/site-dates';
import { initialLedger, LedgerState } from './ledger';
import { reopenedIn, siteDatesAsOf, timeOnSitePercent } from './time-on-site';

const q1 = { startDate: '2026-01-01', endDate: '2026-03-31' };
const site = (plannedStart: string, plannedReopen: string, actualStart: string | null, actualReopen: string | null) => ({ plannedStart, plannedReopen, actualStart, actualReopen });

describe('time on site', () => {
  it('counts days on site including the first day and the day the road reopened', () => {
    expect(daysOnSite('2026-01-05', '2026-01-05')).toBe(1);
    expect(daysOnSite('2026-01-05', '2026-02-03')).toBe(30);
    // Across the change to summer time, still whole days.
    expect(daysOnSite('2026-03-28', '2026-04-01')).toBe(5);
  });

  it('takes the schemes whose road actually reopened within the period, with all four dates', () => {
    const schemes = [
      { schemeId: 'A', site: site('2026-01-01', '2026-01-30', '2026-01-01', '2026-02-08') }, // 30 planned, 39 actual
      { schemeId: 'B', site: site('2026-02-01', '2026-03-12', '2026-02-03', '2026-03-31') }, // 40 planned, 57 actual... reopened on the last day
      { schemeId: 'C', site: site('2026-03-01', '2026-03-10', '2026-03-01', '2026-04-01') }, // reopened in Q2
      { schemeId: 'D', site: site('2026-01-01', '2026-01-10', '2026-01-01', null) }, // still on site
      { schemeId: 'E' },
    ];
    expect(reopenedIn(schemes, q1)).toEqual([
      { schemeId: 'A', plannedDays: 30, actualDays: 39 },
      { schemeId: 'B', plannedDays: 40, actualDays: 57 },
    ]);
    // (39 + 57) / (30 + 40) × 100 = 137.142857…
    expect(timeOnSitePercent(reopenedIn(schemes, q1))!.toFixed(6)).toBe('137.142857');
  });

  it('counts a road reopened on the first day of the period, and not one reopened the day before', () => {
    const schemes = [
      { schemeId: 'First', site: site('2025-12-01', '2025-12-30', '2025-12-01', '2026-01-01') },
      { schemeId: 'Before', site: site('2025-12-01', '2025-12-30', '2025-12-01', '2025-12-31') },
    ];
    expect(reopenedIn(schemes, q1).map((scheme) => scheme.schemeId)).toEqual(['First']);
  });

  it('takes each scheme’s dates as recorded up to the period, by the periods’ order', () => {
    const state: LedgerState = initialLedger('sma');
    state.periods.push(
      { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31', sequence: 1, certificate: null },
      { periodId: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30', sequence: 2, certificate: null },
    );
    const recorded = (periodId: string, actualReopen: string | null) => ({ periodId, ...site('2026-01-01', '2026-01-30', '2026-01-01', actualReopen) });
    const scheme = (schemeId: string, records?: ReturnType<typeof recorded>[]) => ({ schemeId, site: records }) as unknown as LedgerState['schemes'][string];
    state.schemes = {
      A: scheme('A', [recorded('2026-Q1', null), recorded('2026-Q2', '2026-04-10')]),
      B: scheme('B', [recorded('2026-Q2', '2026-04-20')]),
      // A record of a period the ledger does not know counts in none.
      C: scheme('C', [recorded('2026-Q9', '2026-01-20')]),
      D: scheme('D'),
    };
    const [q1Period, q2Period] = state.periods;
    expect(siteDatesAsOf(state, q1Period)).toEqual([
      { schemeId: 'A', site: recorded('2026-Q1', null) },
      { schemeId: 'B', site: undefined },
      { schemeId: 'C', site: undefined },
      { schemeId: 'D', site: undefined },
    ]);
    expect(siteDatesAsOf(state, q2Period).map((scheme) => scheme.site?.actualReopen ?? null)).toEqual(['2026-04-10', '2026-04-20', null, null]);
  });

  it('is missing when no scheme reopened in the period', () => {
    expect(timeOnSitePercent([])).toBeNull();
  });

  it('merges a change into the dates: given fields replace, null clears, omitted stay', () => {
    const first = mergeSiteDates(NO_SITE_DATES, { plannedStart: '2026-01-01', plannedReopen: '2026-01-30' });
    expect(mergeSiteDates(first, { actualStart: '2026-01-02', plannedReopen: null })).toEqual({ plannedStart: '2026-01-01', plannedReopen: null, actualStart: '2026-01-02', actualReopen: null });
  });

  it('refuses a reopening before the start, and an actual reopening without an actual start', () => {
    expect(() => requireSiteDatesInOrder(site('2026-01-10', '2026-01-09', null, null))).toThrow(/plannedReopen: must be on or after plannedStart/);
    expect(() => requireSiteDatesInOrder(site('2026-01-10', '2026-01-19', null, '2026-01-20'))).toThrow(/actualReopen: needs actualStart/);
    expect(() => requireSiteDatesInOrder(site('2026-01-10', '2026-01-19', '2026-01-12', '2026-01-11'))).toThrow(/actualReopen: must be on or after actualStart/);
    expect(() => requireSiteDatesInOrder(site('2026-01-10', '2026-01-19', '2026-01-12', '2026-01-12'))).not.toThrow();
  });
});
