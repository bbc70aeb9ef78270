import { AllianceTerms } from '../../alliance/domain/alliance.events';
import { allocate } from '../../shared/allocation';
import { exactDecimalText } from '../../shared/decimal-text';
import { Fraction } from '../../shared/fraction';
import { formatPence, parsePence, Pence } from '../../shared/money';
import { Band, partnersCostShare } from './cost-share';
import { accidentFrequencyRate } from './kpi-score';
import { findLedgerPeriod, LedgerPeriod, LedgerState, previousLedgerPeriod } from './ledger';
import { assessPerformance } from './performance';
import { PeriodSummary } from './summary.types';
import { reopenedIn, siteDatesAsOf, timeOnSitePercent } from './time-on-site';

/**
 * The figures for one period: certified figures as recorded, otherwise computed from the ledger
 * (provisional). Undefined when the alliance has not opened the period.
 */
export function summarizePeriod(state: LedgerState, periodId: string): PeriodSummary | undefined {
  const period = findLedgerPeriod(state, periodId);
  if (!period || !state.terms) return undefined;
  if (period.certificate) return { ...period.certificate.summary, status: 'certified' };
  const summary = computeSummary(state, state.terms, period);
  return period.cancelled ? { ...summary, status: 'cancelled' } : summary;
}

/** The summary as readers get it: the figures, plus a pending close proposal while there is one. */
export function describePeriod(state: LedgerState, periodId: string): PeriodSummary | undefined {
  const summary = summarizePeriod(state, periodId);
  const proposal = findLedgerPeriod(state, periodId)?.closeProposal;
  return summary && proposal ? { ...summary, closeProposal: proposal } : summary;
}

function computeSummary(state: LedgerState, terms: AllianceTerms, period: LedgerPeriod): PeriodSummary {
  const { target, outturn } = cumulativePool(state, period.sequence);
  const current = costShareOf(terms, target, outturn);
  const previous = previousPartnersShare(state, terms, period);
  const shares = terms.partners.map((partner) => Fraction.fromDecimal(partner.allocationShare));
  const costShares = difference(allocate(current.partnersShare, shares), allocate(previous, shares));

  const safety = state.safety[period.periodId];
  const hours = Fraction.of(safety?.hoursInHundredths ?? 0n, 100n);
  const measured = state.measurements[period.periodId] ?? {};
  const siteTime = timeOnSitePercent(reopenedIn(siteDatesAsOf(state, period), period));
  const inputs = state.kpis.map((kpi) => ({
    kpiId: kpi.kpiId,
    weight: Fraction.fromDecimal(kpi.weight),
    gate: kpi.gate,
    anchors: { poor: Fraction.fromDecimal(kpi.poor), mcos: Fraction.fromDecimal(kpi.mcos), outstanding: Fraction.fromDecimal(kpi.outstanding) },
    value:
      kpi.source === 'afr'
        ? accidentFrequencyRate((safety?.riddor ?? 0) + (safety?.fatalities ?? 0), hours)
        : kpi.source === 'time-on-site'
          ? siteTime
          : measured[kpi.kpiId] !== undefined
          ? Fraction.fromDecimal(measured[kpi.kpiId])
          : null,
  }));
  const performance = assessPerformance(inputs, safety?.fatalities ?? 0, parsePence(terms.rewardPoolMax), parsePence(terms.liabilityMax));
  const performanceShares = allocate(performance.amount, shares);

  return {
    allianceId: state.allianceId,
    periodId: period.periodId,
    status: 'provisional',
    cost: {
      target: formatPence(target),
      outturn: formatPence(outturn),
      variance: formatPence(target - outturn),
      ratio: current.ratio?.toFixed(6) ?? null,
      partnersShare: formatPence(current.partnersShare),
      ownerShare: formatPence(target - outturn - current.partnersShare),
      capApplied: current.capApplied,
      partnersShareThisPeriod: formatPence(current.partnersShare - previous),
      previousPartnersShare: formatPence(previous),
    },
    performance: {
      score: performance.score?.toFixed(4) ?? null,
      gated: performance.gated,
      amount: formatPence(performance.amount),
      missingKpis: performance.missingKpis,
      weightsTotal: exactDecimalText(performance.weightsTotal),
      kpis: state.kpis.map((kpi, index) => ({
        kpiId: kpi.kpiId,
        name: kpi.name,
        unit: kpi.unit,
        value: performance.kpis[index].value?.toFixed(6) ?? null,
        score: performance.kpis[index].score?.toFixed(4) ?? null,
        weight: kpi.weight,
        gate: kpi.gate,
      })),
    },
    partners: terms.partners.map((partner, index) => ({
      partnerId: partner.partnerId,
      costShare: formatPence(costShares[index]),
      performance: formatPence(performanceShares[index]),
      total: formatPence(costShares[index] + performanceShares[index]),
    })),
  };
}

/** T and A at the end of the period with this sequence: completed schemes, facts recorded up to it. */
export function cumulativePool(state: LedgerState, sequence: number): { target: Pence; outturn: Pence } {
  const sequenceOf = new Map(state.periods.map((period) => [period.periodId, period.sequence]));
  let target = 0n;
  let outturn = 0n;
  for (const scheme of Object.values(state.schemes)) {
    if (scheme.completedIn === null || (sequenceOf.get(scheme.completedIn) ?? Infinity) > sequence) continue;
    for (const [periodId, movement] of Object.entries(scheme.byPeriod)) {
      if ((sequenceOf.get(periodId) ?? Infinity) > sequence) continue;
      target += movement.target;
      outturn += movement.outturn;
    }
  }
  return { target, outturn };
}

function costShareOf(terms: AllianceTerms, target: Pence, outturn: Pence) {
  return partnersCostShare(target, outturn, bandsOf(terms), parsePence(terms.painCap), terms.gainCap === null ? null : parsePence(terms.gainCap));
}

/** C(p−1): as certified when the previous period is closed (so corrections flow forward), else as it stands. */
function previousPartnersShare(state: LedgerState, terms: AllianceTerms, period: LedgerPeriod): Pence {
  const previous = previousLedgerPeriod(state, period);
  if (!previous) return 0n;
  if (previous.certificate) return parsePence(previous.certificate.summary.cost.partnersShare);
  const { target, outturn } = cumulativePool(state, previous.sequence);
  return costShareOf(terms, target, outturn).partnersShare;
}

export function bandsOf(terms: AllianceTerms): Band[] {
  return terms.shareBands.map((band) => ({
    from: Fraction.fromDecimal(band.from),
    to: band.to === null ? null : Fraction.fromDecimal(band.to),
    share: Fraction.fromDecimal(band.share),
  }));
}

function difference(now: Pence[], before: Pence[]): Pence[] {
  return now.map((value, index) => value - before[index]);
}
