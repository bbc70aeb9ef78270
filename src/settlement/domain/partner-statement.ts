import { AllianceTerms } from '../../alliance/domain/alliance.events';
import { allocate } from '../../shared/allocation';
import { Fraction } from '../../shared/fraction';
import { formatPence, parsePence } from '../../shared/money';
import { PeriodSummary } from './summary.types';

export interface PartnerStatement {
  allianceId: string;
  periodId: string;
  status: PeriodSummary['status'];
  partnerId: string;
  name: string;
  role: string;
  allocationShare: string;
  /** This period's cost share: the partner's part of C(p) minus its part of C(p−1). */
  costShare: string;
  performance: string;
  total: string;
  cumulative: { costShare: string; previousCostShare: string };
  alliance: {
    partnersShare: string;
    previousPartnersShare: string;
    partnersShareThisPeriod: string;
    capApplied: PeriodSummary['cost']['capApplied'];
    performanceAmount: string;
    score: string | null;
    gated: boolean;
    missingKpis: string[];
  };
}

/** One partner's reward statement, derived from the period summary and the alliance's terms. */
export function partnerStatement(summary: PeriodSummary, terms: AllianceTerms, partnerId: string): PartnerStatement | undefined {
  const index = terms.partners.findIndex((partner) => partner.partnerId === partnerId);
  if (index < 0) return undefined;
  const partner = terms.partners[index];
  const line = summary.partners[index];
  const shares = terms.partners.map((candidate) => Fraction.fromDecimal(candidate.allocationShare));
  const cumulative = allocate(parsePence(summary.cost.partnersShare), shares)[index];
  const previousCumulative = allocate(parsePence(summary.cost.previousPartnersShare), shares)[index];
  return {
    allianceId: summary.allianceId,
    periodId: summary.periodId,
    status: summary.status,
    partnerId,
    name: partner.name,
    role: partner.role,
    allocationShare: partner.allocationShare,
    costShare: line.costShare,
    performance: line.performance,
    total: line.total,
    cumulative: { costShare: formatPence(cumulative), previousCostShare: formatPence(previousCumulative) },
    alliance: {
      partnersShare: summary.cost.partnersShare,
      previousPartnersShare: summary.cost.previousPartnersShare,
      partnersShareThisPeriod: summary.cost.partnersShareThisPeriod,
      capApplied: summary.cost.capApplied,
      performanceAmount: summary.performance.amount,
      score: summary.performance.score,
      gated: summary.performance.gated,
      missingKpis: summary.performance.missingKpis,
    },
  };
}
