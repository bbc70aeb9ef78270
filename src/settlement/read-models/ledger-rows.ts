import { formatPence } from '../../shared/money';
import { AllianceRow, KpiScoreRow, PartnerStatementRow, PeriodSummaryRow, SchemePositionRow, SignOffRow } from '../../read-models/entities';
import { LedgerState, schemeOutturn, schemeTarget } from '../domain/ledger';
import { partnerStatement } from '../domain/partner-statement';
import { describePeriod } from '../domain/period-summary';

export interface LedgerRows {
  alliance: AllianceRow | null;
  summaries: PeriodSummaryRow[];
  statements: PartnerStatementRow[];
  kpiScores: KpiScoreRow[];
  schemes: SchemePositionRow[];
  signOffs: SignOffRow[];
}

/** The read-model rows of one alliance, derived from its ledger: pure, so live and rebuilt rows are equal by construction. */
export function ledgerRows(
  state: LedgerState,
  include: { period: (periodId: string) => boolean; scheme: (schemeId: string) => boolean; signOffs: (periodId: string) => boolean },
): LedgerRows {
  const rows: LedgerRows = { alliance: null, summaries: [], statements: [], kpiScores: [], schemes: [], signOffs: [] };
  const terms = state.terms;
  if (!terms) return rows;
  const { allianceId } = state;
  rows.alliance = {
    allianceId,
    name: terms.name,
    owner: terms.owner,
    partners: terms.partners,
    kpis: state.kpis,
    periodCount: state.periods.length,
    schemeCount: Object.keys(state.schemes).length,
  };
  for (const period of state.periods) {
    if (!include.period(period.periodId)) continue;
    const summary = describePeriod(state, period.periodId)!;
    const { cost, performance } = summary;
    rows.summaries.push({
      allianceId,
      periodId: period.periodId,
      sequence: period.sequence,
      startDate: period.startDate,
      endDate: period.endDate,
      status: summary.status,
      target: cost.target,
      outturn: cost.outturn,
      variance: cost.variance,
      ratio: cost.ratio,
      partnersShare: cost.partnersShare,
      ownerShare: cost.ownerShare,
      capApplied: cost.capApplied,
      partnersShareThisPeriod: cost.partnersShareThisPeriod,
      previousPartnersShare: cost.previousPartnersShare,
      score: performance.score,
      gated: performance.gated,
      performanceAmount: performance.amount,
      missingKpis: performance.missingKpis.join(','),
      document: summary,
    });
    for (const partner of terms.partners) {
      const statement = partnerStatement(summary, terms, partner.partnerId)!;
      rows.statements.push({
        allianceId,
        periodId: period.periodId,
        partnerId: partner.partnerId,
        status: summary.status,
        costShare: statement.costShare,
        performance: statement.performance,
        total: statement.total,
        cumulativeCostShare: statement.cumulative.costShare,
        previousCumulativeCostShare: statement.cumulative.previousCostShare,
        document: statement,
      });
    }
    for (const kpi of performance.kpis) {
      rows.kpiScores.push({
        allianceId,
        periodId: period.periodId,
        kpiId: kpi.kpiId,
        name: kpi.name,
        unit: kpi.unit,
        value: kpi.value,
        score: kpi.score,
        weight: kpi.weight,
        gate: kpi.gate,
        status: summary.status,
      });
    }
  }
  for (const [periodId, byPartner] of Object.entries(state.signOffs ?? {})) {
    if (!include.signOffs(periodId)) continue;
    for (const [partnerId, signOff] of Object.entries(byPartner)) rows.signOffs.push({ allianceId, periodId, partnerId, ...signOff });
  }
  for (const scheme of Object.values(state.schemes)) {
    if (!include.scheme(scheme.schemeId)) continue;
    const target = schemeTarget(scheme);
    const outturn = schemeOutturn(scheme);
    rows.schemes.push({
      allianceId,
      schemeId: scheme.schemeId,
      name: scheme.name,
      status: scheme.completedIn ? 'completed' : 'in-progress',
      completedPeriodId: scheme.completedIn,
      baseline: formatPence(scheme.baseline),
      compensation: formatPence(scheme.compensation),
      target: formatPence(target),
      definedCost: formatPence(scheme.definedCost),
      disallowed: formatPence(scheme.disallowed),
      reversedCost: formatPence(scheme.reversedCost),
      outturn: formatPence(outturn),
      variance: formatPence(target - outturn),
    });
  }
  return rows;
}
