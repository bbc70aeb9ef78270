import { DomainError, invalid } from '../../shared/domain-error';

/**
 * How far from today a period may start: far enough back to load an alliance's history, not so
 * far ahead that a typo (9999-12-31) blocks every later period. Constants of the domain, not
 * configuration: changing them changes what the ledger accepts.
 */
export const PERIOD_START_HORIZON = { yearsBefore: 10, yearsAfter: 1 } as const;
/** A period lasts at most a year: it ends before the same date a year after it starts. */
export const MAX_PERIOD_YEARS = 1;

/** Dates are ISO calendar dates (`YYYY-MM-DD`), compared as text and moved in UTC. */
export function addDays(date: string, days: number): string {
  const moved = new Date(`${date}T00:00:00.000Z`);
  moved.setUTCDate(moved.getUTCDate() + days);
  return moved.toISOString().slice(0, 10);
}

/** The same day `years` later (29 February becomes 1 March). */
export function addYears(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year + years, month - 1, day)).toISOString().slice(0, 10);
}

/** The last end date a period starting on `startDate` may have. */
export function latestEndDate(startDate: string): string {
  return addDays(addYears(startDate, MAX_PERIOD_YEARS), -1);
}

/** Refuses dates no alliance means: an end before the start, a period over a year long, a start implausibly far from today. */
export function checkPeriodDates(startDate: string, endDate: string, today: string): void {
  if (endDate < startDate) throw invalid('endDate', `must not be before startDate (${startDate})`);
  const earliest = addYears(today, -PERIOD_START_HORIZON.yearsBefore);
  const latest = addYears(today, PERIOD_START_HORIZON.yearsAfter);
  if (startDate < earliest || startDate > latest) {
    throw outsideHorizon(startDate, earliest, latest, today);
  }
  const latestEnd = latestEndDate(startDate);
  if (endDate > latestEnd) throw invalid('endDate', `must be at most ${MAX_PERIOD_YEARS} year after startDate: ${latestEnd} at the latest`, 'period_too_long');
}

function outsideHorizon(startDate: string, earliest: string, latest: string, today: string): DomainError {
  return invalid(
    'startDate',
    `${startDate} is implausible: periods start from ${earliest} to ${latest} (${PERIOD_START_HORIZON.yearsBefore} years before to ${PERIOD_START_HORIZON.yearsAfter} year after today, ${today})`,
    'period_start_out_of_range',
  );
}
