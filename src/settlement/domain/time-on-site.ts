import { daysOnSite, SiteDates } from '../../schemes/domain/site-dates';
import { Fraction } from '../../shared/fraction';
import { LedgerPeriod, LedgerState } from './ledger';

/**
 * Each scheme's site dates as recorded up to the period (by the periods' order), as the rest of a
 * period's figures count only facts recorded in it or earlier: a certificate recomputes the same.
 */
export function siteDatesAsOf(state: LedgerState, period: LedgerPeriod): Array<{ schemeId: string; site?: SiteDates }> {
  const sequences = new Map(state.periods.map((candidate) => [candidate.periodId, candidate.sequence]));
  return Object.values(state.schemes).map((scheme) => ({
    schemeId: scheme.schemeId,
    site: scheme.site?.filter((record) => (sequences.get(record.periodId) ?? Infinity) <= period.sequence).at(-1),
  }));
}

export interface SiteTime {
  schemeId: string;
  plannedDays: number;
  actualDays: number;
}

/**
 * The schemes whose road reopened within the period (actual reopening between its first and last
 * day, inclusive) and which have all four dates, with their planned and actual days on site.
 */
export function reopenedIn(schemes: ReadonlyArray<{ schemeId: string; site?: SiteDates }>, period: { startDate: string; endDate: string }): SiteTime[] {
  return schemes.flatMap(({ schemeId, site }) => {
    if (!site?.plannedStart || !site.plannedReopen || !site.actualStart || !site.actualReopen) return [];
    if (site.actualReopen < period.startDate || site.actualReopen > period.endDate) return [];
    return [{ schemeId, plannedDays: daysOnSite(site.plannedStart, site.plannedReopen), actualDays: daysOnSite(site.actualStart, site.actualReopen) }];
  });
}

/**
 * A `time-on-site` KPI's value: the days actually spent on site as a percentage of those planned,
 * over the schemes whose road reopened in the period (100: as planned; lower is better). Null —
 * a missing KPI — when no scheme reopened in the period.
 */
export function timeOnSitePercent(reopened: readonly SiteTime[]): Fraction | null {
  const planned = reopened.reduce((total, scheme) => total + BigInt(scheme.plannedDays), 0n);
  const actual = reopened.reduce((total, scheme) => total + BigInt(scheme.actualDays), 0n);
  return planned > 0n ? Fraction.of(actual * 100n, planned) : null;
}
