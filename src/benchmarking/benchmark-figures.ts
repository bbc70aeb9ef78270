import { daysOnSite } from '../schemes/domain/site-dates';
import { accidentFrequencyRate } from '../settlement/domain/kpi-score';
import { LedgerPeriod, LedgerState } from '../settlement/domain/ledger';
import { summarizePeriod } from '../settlement/domain/period-summary';
import { PeriodSummary } from '../settlement/domain/summary.types';
import { reopenedIn, siteDatesAsOf, timeOnSitePercent } from '../settlement/domain/time-on-site';
import { Fraction } from '../shared/fraction';
import { formatPence, parsePence, Pence } from '../shared/money';
import { DataQualityFlag, EventFacts, flagsFor } from './data-quality';

/** One alliance's year: the periods ending in it, not cancelled. */
export interface AllianceYear {
  allianceId: string;
  name: string;
  year: string;
  periods: string[];
  cost: { target: string; outturn: string; variance: string; ratio: string | null; gainPain: string; gainPainPerPound: string | null };
  safety: { hours: string; riddor: number; fatalities: number; lostTime: number; nearMiss: number; incidents: number; afr: string | null };
  /** The mean of the periods' weighted scores S, and of each KPI's score, on the −100…100 scale. */
  score: string | null;
  kpis: Record<string, string | null>;
  timeOnSite: { percent: string | null; schemes: number };
  flags: DataQualityFlag[];
}

export interface SchemeBenchmark {
  allianceId: string;
  schemeId: string;
  year: string;
  target: string;
  outturn: string;
  variance: string;
  ratio: string | null;
  plannedDays: number | null;
  actualDays: number | null;
}

export interface RoleBenchmark {
  allianceId: string;
  year: string;
  role: string;
  partners: number;
  costShare: string;
  performance: string;
  total: string;
  /** The role's total per £ of the alliance's target for the year. */
  perPoundOfTarget: string | null;
}

const yearOf = (period: LedgerPeriod) => period.endDate.slice(0, 4);

/** The alliance's figures by year, scheme (completed ones, by the year they completed) and partner role. */
export function benchmarkAlliance(state: LedgerState, facts: EventFacts): { years: AllianceYear[]; schemes: SchemeBenchmark[]; roles: RoleBenchmark[] } {
  const terms = state.terms;
  if (!terms) return { years: [], schemes: [], roles: [] };
  const periods = [...state.periods].filter((period) => !period.cancelled).sort((a, b) => a.sequence - b.sequence);
  const summaries = new Map(periods.map((period) => [period.periodId, summarizePeriod(state, period.periodId)!]));
  const years = [...new Set(periods.map(yearOf))];
  const rows: AllianceYear[] = [];
  const roles: RoleBenchmark[] = [];
  let before: PeriodSummary | undefined;
  for (const year of years) {
    const inYear = periods.filter((period) => yearOf(period) === year);
    const last = summaries.get(inYear[inYear.length - 1].periodId)!;
    const target = parsePence(last.cost.target) - (before ? parsePence(before.cost.target) : 0n);
    const outturn = parsePence(last.cost.outturn) - (before ? parsePence(before.cost.outturn) : 0n);
    const gainPain = parsePence(last.cost.partnersShare) - (before ? parsePence(before.cost.partnersShare) : 0n);
    before = last;

    const safety = inYear.map((period) => state.safety[period.periodId]);
    const hours = safety.reduce((total, entry) => total + (entry?.hoursInHundredths ?? 0n), 0n);
    const count = (pick: (entry: NonNullable<(typeof safety)[number]>) => number) => safety.reduce((total, entry) => total + (entry ? pick(entry) : 0), 0);
    const riddor = count((entry) => entry.riddor);
    const fatalities = count((entry) => entry.fatalities);
    const lostTime = count((entry) => entry.lostTime);
    const nearMiss = count((entry) => entry.nearMiss);
    const afr = accidentFrequencyRate(riddor + fatalities, Fraction.of(hours, 100n));

    const yearSummaries = inYear.map((period) => summaries.get(period.periodId)!);
    const kpiIds = [...new Set(yearSummaries.flatMap((summary) => summary.performance.kpis.map((kpi) => kpi.kpiId)))];
    const kpis = Object.fromEntries(
      kpiIds.map((kpiId) => [kpiId, mean(yearSummaries.map((summary) => summary.performance.kpis.find((kpi) => kpi.kpiId === kpiId)?.score ?? null))?.toFixed(4) ?? null]),
    );
    const lastPeriod = inYear[inYear.length - 1];
    const reopened = reopenedIn(siteDatesAsOf(state, lastPeriod), { startDate: inYear[0].startDate, endDate: lastPeriod.endDate });
    rows.push({
      allianceId: state.allianceId,
      name: terms.name,
      year,
      periods: inYear.map((period) => period.periodId),
      cost: {
        target: formatPence(target),
        outturn: formatPence(outturn),
        variance: formatPence(target - outturn),
        ratio: target > 0n ? Fraction.of(outturn, target).toFixed(6) : null,
        gainPain: formatPence(gainPain),
        gainPainPerPound: target > 0n ? Fraction.of(gainPain, target).toFixed(6) : null,
      },
      safety: { hours: Fraction.of(hours, 100n).toFixed(2), riddor, fatalities, lostTime, nearMiss, incidents: riddor + fatalities + lostTime + nearMiss, afr: afr?.toFixed(6) ?? null },
      score: mean(yearSummaries.map((summary) => summary.performance.score))?.toFixed(4) ?? null,
      kpis,
      timeOnSite: { percent: timeOnSitePercent(reopened)?.toFixed(6) ?? null, schemes: reopened.length },
      flags: flagsFor(state, inYear, facts, yearSummaries),
    });

    for (const role of [...new Set(terms.partners.map((partner) => partner.role))]) {
      const indices = terms.partners.flatMap((partner, index) => (partner.role === role ? [index] : []));
      const sum = (pick: (line: PeriodSummary['partners'][number]) => string) =>
        yearSummaries.reduce((total, summary) => total + indices.reduce((part, index) => part + parsePence(pick(summary.partners[index])), 0n), 0n);
      const costShare = sum((line) => line.costShare);
      const performance = sum((line) => line.performance);
      roles.push({ allianceId: state.allianceId, year, role, partners: indices.length, costShare: formatPence(costShare), performance: formatPence(performance), total: formatPence(costShare + performance), perPoundOfTarget: target > 0n ? Fraction.of(costShare + performance, target).toFixed(6) : null });
    }
  }

  const byId = new Map(periods.map((period) => [period.periodId, period]));
  const schemes = Object.values(state.schemes).flatMap((scheme): SchemeBenchmark[] => {
    const completed = scheme.completedIn ? byId.get(scheme.completedIn) : undefined;
    if (!completed) return [];
    const target: Pence = scheme.baseline + scheme.compensation;
    const outturn: Pence = scheme.definedCost - scheme.disallowed - scheme.reversedCost;
    const site = scheme.site?.at(-1);
    const days = (start: string | null | undefined, end: string | null | undefined) => (start && end ? daysOnSite(start, end) : null);
    return [
      {
        allianceId: state.allianceId,
        schemeId: scheme.schemeId,
        year: yearOf(completed),
        target: formatPence(target),
        outturn: formatPence(outturn),
        variance: formatPence(target - outturn),
        ratio: target > 0n ? Fraction.of(outturn, target).toFixed(6) : null,
        plannedDays: days(site?.plannedStart, site?.plannedReopen),
        actualDays: days(site?.actualStart, site?.actualReopen),
      },
    ];
  });
  return { years: rows, schemes, roles };
}

function mean(values: ReadonlyArray<string | null>): Fraction | null {
  const present = values.filter((value): value is string => value !== null).map((value) => Fraction.fromDecimal(value));
  if (present.length === 0) return null;
  return present.reduce((total, value) => total.add(value), Fraction.of(0n)).div(Fraction.of(BigInt(present.length)));
}
