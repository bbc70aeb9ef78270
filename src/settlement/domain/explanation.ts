import { comparePositions, formatPosition, parsePosition, Position } from '../../event-store/event-store.port';
import { SchemeEvent } from '../../schemes/domain/scheme.events';
import { formatPence } from '../../shared/money';
import { findLedgerPeriod, LedgerState, moneyEffect, previousLedgerPeriod } from './ledger';
import { summarizePeriod } from './period-summary';
import { RecordedEvent } from './recorded-event';
import { PeriodSummary } from './summary.types';
import { reopenedIn, siteDatesAsOf } from './time-on-site';

export interface EventReference {
  position: string;
  streamName: string;
  revision: string;
  eventId: string;
  type: string;
  recordedAt: string | null;
  actor: string | null;
  commandId: string | null;
  /** How the event moves the figure, e.g. `{ target: "12000000.00" }`, or what it says. */
  effect: Record<string, unknown>;
}

export interface FigureExplanation {
  figure: string;
  value: unknown;
  rule: string;
  /** The first events behind the figure, in log order: all of them, or the first EXPLAIN_PAGE when `eventCount` is larger. */
  events: EventReference[];
  /** How many events the figure was computed from. */
  eventCount?: number;
  /** For the target and the outturn: each scheme's part, and where to page through its events. */
  bySchemes?: SchemeSubtotal[];
}

export interface SchemeSubtotal {
  schemeId: string;
  amount: string;
  eventCount: number;
  /** The scheme's events of the kinds that move this figure, oldest first, a page at a time (`GET …/events`). */
  events: string;
}

export interface PeriodExplanation {
  allianceId: string;
  periodId: string;
  status: PeriodSummary['status'];
  figures: FigureExplanation[];
}

/**
 * Lists, for each figure of a period, the events it was computed from, given the period's input
 * events (see isPeriodInput). For a certified period only the inputs up to its certificate count:
 * up to `lastInput` when given (the certificate's last input found in this store), else the position it recorded.
 */
export function explainPeriod(state: LedgerState, periodInputs: readonly RecordedEvent[], periodId: string, lastInput?: Position): PeriodExplanation | undefined {
  const summary = summarizePeriod(state, periodId);
  const period = findLedgerPeriod(state, periodId);
  if (!summary || !period) return undefined;
  const recorded = period.certificate?.inputs.upToPosition;
  const cutoff = lastInput ?? (recorded ? parsePosition(recorded) : undefined);
  const inputs = cutoff ? periodInputs.filter((event) => comparePositions(event.position, cutoff) <= 0) : periodInputs;
  const sequenceOf = new Map(state.periods.map((entry) => [entry.periodId, entry.sequence]));
  const inPool = (schemeId: string) => {
    const completedIn = state.schemes[schemeId]?.completedIn;
    return completedIn !== null && completedIn !== undefined && (sequenceOf.get(completedIn) ?? Infinity) <= period.sequence;
  };

  const schemeFacts = inputs.filter((event) => event.streamName.includes('.scheme.') && inPool(event.data.schemeId));
  const moving = (side: 'target' | 'outturn') =>
    schemeFacts.flatMap((event) => {
      const effect = moneyEffect(event as unknown as SchemeEvent);
      const amount = effect?.[side] ?? 0n;
      return amount === 0n ? [] : [reference(event, { schemeId: event.data.schemeId, [side]: formatPence(amount) })];
    });
  const previous = previousLedgerPeriod(state, period);
  const previousClose = previous && inputs.find((event) => event.type === 'PeriodClosed' && event.data.periodId === previous.periodId);

  const figures: FigureExplanation[] = [
    {
      figure: 'configuration',
      value: null,
      rule: 'Partners, allocation shares, share bands, caps, pools and KPI definitions',
      events: inputs.filter((event) => event.type === 'AllianceFormed' || event.type === 'KpiDefined').map((event) => reference(event, {})),
    },
    {
      figure: 'cost.pool',
      value: schemeFacts.filter((event) => event.type === 'SchemeCompleted').length,
      rule: 'Schemes completed in this period or earlier count in T and A',
      events: schemeFacts.filter((event) => event.type === 'SchemeCompleted').map((event) => reference(event, { schemeId: event.data.schemeId })),
    },
    {
      figure: 'cost.target',
      value: summary.cost.target,
      rule: 'T = Σ baseline + compensation events − reversed ones, over schemes in the pool, recorded up to this period',
      events: moving('target'),
    },
    {
      figure: 'cost.outturn',
      value: summary.cost.outturn,
      rule: 'A = Σ defined cost − disallowed − reversed cost lines, over schemes in the pool, recorded up to this period',
      events: moving('outturn'),
    },
    {
      figure: 'cost.previousPartnersShare',
      value: summary.cost.previousPartnersShare,
      rule: previousClose ? 'C(p−1) as certified when the previous period closed' : 'C(p−1) computed from the facts recorded up to the previous period',
      events: previousClose ? [reference(previousClose, { partnersShare: summary.cost.previousPartnersShare })] : [],
    },
    ...summary.performance.kpis.map((line) => {
      const kpi = state.kpis.find((candidate) => candidate.kpiId === line.kpiId);
      const afr = kpi?.source === 'afr';
      const siteTime = kpi?.source === 'time-on-site';
      const reopened = new Set(siteTime ? reopenedIn(siteDatesAsOf(state, period), period).map((scheme) => scheme.schemeId) : []);
      const events = afr
        ? inputs.filter(
            (event) =>
              event.type === 'HoursWorkedRecorded' ||
              (event.type === 'SafetyIncidentReported' && (event.data.severity === 'riddor' || event.data.severity === 'fatality')),
          )
        : siteTime
          ? inputs.filter((event) => event.type === 'SiteDatesRecorded' && reopened.has(event.data.schemeId))
          : inputs.filter((event) => event.type === 'KpiMeasurementRecorded' && event.data.kpiId === line.kpiId);
      return {
        figure: `performance.kpis.${line.kpiId}`,
        value: line.value,
        rule: afr
          ? 'AFR = (RIDDOR incidents + fatalities) × 100000 / hours worked in the period'
          : siteTime
            ? 'Time on site = Σ actual days on site × 100 / Σ planned days, over schemes whose road reopened in the period (days count the first and the last)'
            : 'The latest measurement in the period replaces earlier ones',
        events: events.map((event) => reference(event, effectOf(event))),
      };
    }),
    {
      figure: 'performance.gated',
      value: summary.performance.gated,
      rule: 'Gated when a gate KPI scores −100 or a fatality is reported in the period',
      events: inputs.filter((event) => event.type === 'SafetyIncidentReported' && event.data.severity === 'fatality').map((event) => reference(event, effectOf(event))),
    },
  ];
  return { allianceId: state.allianceId, periodId, status: summary.status, figures };
}

function effectOf(event: RecordedEvent): Record<string, unknown> {
  switch (event.type) {
    case 'HoursWorkedRecorded':
      return { hours: event.data.hours, partnerId: event.data.partnerId };
    case 'SafetyIncidentReported':
      return { incidentId: event.data.incidentId, severity: event.data.severity };
    case 'KpiMeasurementRecorded':
      return { value: event.data.value, replaced: event.data.previousValue };
    default:
      return {};
  }
}

function reference(event: RecordedEvent, effect: Record<string, unknown>): EventReference {
  return {
    position: formatPosition(event.position),
    streamName: event.streamName,
    revision: event.revision.toString(),
    eventId: event.id,
    type: event.type,
    recordedAt: event.metadata.recordedAt ?? null,
    actor: event.metadata.actor ?? null,
    commandId: event.metadata.commandId ?? null,
    effect,
  };
}
