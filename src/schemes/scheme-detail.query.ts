import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, formatPosition } from '../event-store/event-store.port';
import { recordedAt } from '../settlement/queries/ledger-history';
import { notFound } from '../shared/domain-error';
import { formatPence, parsePence, Pence } from '../shared/money';
import { streamNames } from '../shared/stream-names';
import { SchemeEvent } from './domain/scheme.events';
import { daysOnSite, NO_SITE_DATES, SiteDates } from './domain/site-dates';

/** One scheme's target build-up, compensation events and cost lines, as they stood at `asAt`. */
export class GetSchemeDetail {
  constructor(
    readonly allianceId: string,
    readonly schemeId: string,
    readonly asAt?: Date,
  ) {}
}

interface Reversal {
  periodId: string;
  reason: string;
}

export interface SchemeDetail {
  allianceId: string;
  schemeId: string;
  name: string;
  completedIn: string | null;
  /** Time on site: the four dates, and the days on site planned and actual once both ends are known. */
  site: SiteDates & { plannedDays: number | null; actualDays: number | null };
  baseline: { amount: string; periodId: string } | null;
  compensationEvents: Array<{ ceId: string; periodId: string; amount: string; reason: string | null; reversal: Reversal | null; position: string }>;
  costLines: Array<{ costId: string; periodId: string; amount: string; description: string | null; disallowed: string; reversal: Reversal | null; net: string; position: string }>;
  /** Per period the target and outturn moved in, with running totals. */
  byPeriod: Array<{ periodId: string; target: string; outturn: string; cumulativeTarget: string; cumulativeOutturn: string }>;
  totals: { target: string; definedCost: string; disallowed: string; reversed: string; outturn: string; variance: string };
}

/** Read from the scheme's own stream: what the scheme page lists, with subtotals, exact to the penny. */
@QueryHandler(GetSchemeDetail)
export class GetSchemeDetailHandler implements IQueryHandler<GetSchemeDetail, SchemeDetail> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ allianceId, schemeId, asAt }: GetSchemeDetail): Promise<SchemeDetail> {
    let name: string | null = null;
    let completedIn: string | null = null;
    let site: SiteDates = NO_SITE_DATES;
    let baseline: SchemeDetail['baseline'] = null;
    const ces = new Map<string, SchemeDetail['compensationEvents'][number]>();
    const lines = new Map<string, { costId: string; periodId: string; amount: Pence; description: string | null; disallowed: Pence; reversal: Reversal | null; position: string }>();
    const moves = new Map<string, { target: Pence; outturn: Pence }>();
    const move = (periodId: string, target: Pence, outturn: Pence) => {
      const entry = moves.get(periodId) ?? { target: 0n, outturn: 0n };
      moves.set(periodId, { target: entry.target + target, outturn: entry.outturn + outturn });
    };
    for await (const stored of this.store.readStream(streamNames.scheme(allianceId, schemeId))) {
      if (asAt && recordedAt(stored) > asAt.getTime()) break;
      const event = { type: stored.type, data: stored.data } as SchemeEvent;
      const position = formatPosition(stored.position);
      switch (event.type) {
        case 'SchemeRegistered':
          name = event.data.name;
          break;
        case 'TargetBaselineSet':
          baseline = { amount: event.data.amount, periodId: event.data.periodId };
          move(event.data.periodId, parsePence(event.data.amount), 0n);
          break;
        case 'CompensationEventImplemented':
          ces.set(event.data.ceId, { ceId: event.data.ceId, periodId: event.data.periodId, amount: event.data.amount, reason: event.data.reason ?? null, reversal: null, position });
          move(event.data.periodId, parsePence(event.data.amount), 0n);
          break;
        case 'CompensationEventReversed': {
          const ce = ces.get(event.data.ceId);
          if (ce) ce.reversal = { periodId: event.data.periodId, reason: event.data.reason };
          move(event.data.periodId, -parsePence(event.data.amount), 0n);
          break;
        }
        case 'DefinedCostRecorded':
          lines.set(event.data.costId, { costId: event.data.costId, periodId: event.data.periodId, amount: parsePence(event.data.amount), description: event.data.description ?? null, disallowed: 0n, reversal: null, position });
          move(event.data.periodId, 0n, parsePence(event.data.amount));
          break;
        case 'CostDisallowed': {
          const line = lines.get(event.data.costId);
          if (line) line.disallowed += parsePence(event.data.amount);
          move(event.data.periodId, 0n, -parsePence(event.data.amount));
          break;
        }
        case 'DefinedCostReversed': {
          const line = lines.get(event.data.costId);
          if (line) line.reversal = { periodId: event.data.periodId, reason: event.data.reason };
          move(event.data.periodId, 0n, -(parsePence(event.data.amount) - parsePence(event.data.disallowedAmount)));
          break;
        }
        case 'SchemeCompleted':
          completedIn = event.data.periodId;
          break;
        case 'SiteDatesRecorded': {
          const { plannedStart, plannedReopen, actualStart, actualReopen } = event.data;
          site = { plannedStart, plannedReopen, actualStart, actualReopen };
          break;
        }
      }
    }
    if (name === null) throw notFound('scheme_not_found', 'schemeId', `scheme ${schemeId} is not registered in alliance ${allianceId}`);
    let target = 0n;
    let outturn = 0n;
    const byPeriod = [...moves.entries()].map(([periodId, entry]) => {
      target += entry.target;
      outturn += entry.outturn;
      return { periodId, target: formatPence(entry.target), outturn: formatPence(entry.outturn), cumulativeTarget: formatPence(target), cumulativeOutturn: formatPence(outturn) };
    });
    const costLines = [...lines.values()];
    const sum = (values: Pence[]) => values.reduce((total, value) => total + value, 0n);
    const definedCost = sum(costLines.map((line) => line.amount));
    const disallowed = sum(costLines.map((line) => line.disallowed));
    const reversed = sum(costLines.filter((line) => line.reversal).map((line) => line.amount - line.disallowed));
    return {
      allianceId,
      schemeId,
      name,
      completedIn,
      site: {
        ...site,
        plannedDays: site.plannedStart && site.plannedReopen ? daysOnSite(site.plannedStart, site.plannedReopen) : null,
        actualDays: site.actualStart && site.actualReopen ? daysOnSite(site.actualStart, site.actualReopen) : null,
      },
      baseline,
      compensationEvents: [...ces.values()],
      costLines: costLines.map((line) => ({
        ...line,
        amount: formatPence(line.amount),
        disallowed: formatPence(line.disallowed),
        net: formatPence(line.reversal ? 0n : line.amount - line.disallowed),
      })),
      byPeriod,
      totals: { target: formatPence(target), definedCost: formatPence(definedCost), disallowed: formatPence(disallowed), reversed: formatPence(reversed), outturn: formatPence(outturn), variance: formatPence(target - outturn) },
    };
  }
}
