import { LedgerPeriod, LedgerState } from '../settlement/domain/ledger';
import { PeriodSummary } from '../settlement/domain/summary.types';

/** Facts about an alliance's data that the ledger's fold does not keep, read from its events. */
export interface EventFacts {
  /** Measurements that replaced an earlier value for the same KPI and period. */
  measurementChanges: Array<{ periodId: string; kpiId: string }>;
  /** Incidents reported with no partner named. */
  incidentsWithoutPartner: Array<{ periodId: string; incidentId: string }>;
}

export const NO_EVENT_FACTS: EventFacts = { measurementChanges: [], incidentsWithoutPartner: [] };

export type DataQualityCode = 'missing_kpis' | 'late_facts' | 'measurements_changed' | 'costs_after_completion' | 'incidents_without_partner' | 'period_closed_with_gap';

/** What weakens a benchmark row's figures, so a reader can weigh it. `periods` are the alliance's own. */
export interface DataQualityFlag {
  code: DataQualityCode;
  count: number;
  periods: string[];
  message: string;
}

/** The flags of one alliance-year: the periods ending in that year. */
export function flagsFor(state: LedgerState, inYear: readonly LedgerPeriod[], facts: EventFacts, summaries: readonly PeriodSummary[]): DataQualityFlag[] {
  const flags: DataQualityFlag[] = [];
  const ids = new Set(inYear.map((period) => period.periodId));
  const flag = (code: DataQualityCode, count: number, periods: Iterable<string>, message: string) => {
    if (count > 0) flags.push({ code, count, periods: [...new Set(periods)], message });
  };

  const missing = summaries.filter((summary) => summary.performance.missingKpis.length > 0);
  flag('missing_kpis', missing.reduce((total, summary) => total + summary.performance.missingKpis.length, 0), missing.map((summary) => summary.periodId), 'KPIs with no value for a period: its score and performance amount are not computed');

  flag('late_facts', state.lateFacts, [], 'facts that reached the ledger after their period was certified (counted from the next period); alliance-wide');

  const changed = facts.measurementChanges.filter((change) => ids.has(change.periodId));
  flag('measurements_changed', changed.length, changed.map((change) => change.periodId), 'KPI measurements replaced after they were first recorded');

  const sequence = new Map(state.periods.map((period) => [period.periodId, period.sequence]));
  const afterCompletion = Object.values(state.schemes).flatMap((scheme) => {
    const completed = scheme.completedIn ? sequence.get(scheme.completedIn) : undefined;
    if (completed === undefined) return [];
    return Object.entries(scheme.byPeriod)
      .filter(([periodId, movement]) => ids.has(periodId) && movement.outturn !== 0n && (sequence.get(periodId) ?? 0) > completed)
      .map(([periodId]) => periodId);
  });
  flag('costs_after_completion', afterCompletion.length, afterCompletion, 'cost recorded on schemes in a period after the one they completed in');

  const unattributed = facts.incidentsWithoutPartner.filter((incident) => ids.has(incident.periodId));
  flag('incidents_without_partner', unattributed.length, unattributed.map((incident) => incident.periodId), 'safety incidents reported with no partner named');

  const ordered = state.periods.filter((period) => !period.cancelled).sort((a, b) => a.sequence - b.sequence);
  const gaps = ordered.filter((period, index) => index > 0 && ids.has(period.periodId) && period.certificate && dayAfter(ordered[index - 1].endDate) < period.startDate);
  flag('period_closed_with_gap', gaps.length, gaps.map((period) => period.periodId), 'periods certified with days uncovered between them and the period before');
  return flags;
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
