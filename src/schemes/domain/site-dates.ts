import { invalidFields, FieldError } from '../../shared/domain-error';

/** When work started on site and when the road reopened, planned and actual (YYYY-MM-DD, or null until known). */
export interface SiteDates {
  plannedStart: string | null;
  plannedReopen: string | null;
  actualStart: string | null;
  actualReopen: string | null;
}

export const SITE_DATE_FIELDS = ['plannedStart', 'plannedReopen', 'actualStart', 'actualReopen'] as const;

export const NO_SITE_DATES: SiteDates = { plannedStart: null, plannedReopen: null, actualStart: null, actualReopen: null };

/** The dates after a change: given fields replace, omitted ones stay, and `null` clears one. */
export function mergeSiteDates(current: SiteDates, change: Partial<SiteDates>): SiteDates {
  const merged = { ...current };
  for (const field of SITE_DATE_FIELDS) if (change[field] !== undefined) merged[field] = change[field]!;
  return merged;
}

export function sameSiteDates(a: SiteDates, b: SiteDates): boolean {
  return SITE_DATE_FIELDS.every((field) => a[field] === b[field]);
}

/** A road reopens on or after work started; an actual reopening needs an actual start. */
export function requireSiteDatesInOrder(dates: SiteDates): void {
  const errors: FieldError[] = [];
  if (dates.plannedStart && dates.plannedReopen && dates.plannedReopen < dates.plannedStart) {
    errors.push({ field: 'plannedReopen', reason: `must be on or after plannedStart (${dates.plannedStart})` });
  }
  if (dates.actualReopen && !dates.actualStart) errors.push({ field: 'actualReopen', reason: 'needs actualStart: a road reopens after work started on site' });
  if (dates.actualStart && dates.actualReopen && dates.actualReopen < dates.actualStart) {
    errors.push({ field: 'actualReopen', reason: `must be on or after actualStart (${dates.actualStart})` });
  }
  if (errors.length > 0) throw invalidFields(errors, 'site_dates_out_of_order');
}

/** Days on site, counting both the first day and the day the road reopened. */
export function daysOnSite(start: string, reopen: string): number {
  return Math.round((Date.parse(`${reopen}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
}
