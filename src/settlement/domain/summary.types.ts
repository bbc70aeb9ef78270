/** The JSON of a period summary, as the spec fixes it (money as decimal strings in pounds). */
export interface KpiLine {
  kpiId: string;
  name: string;
  unit: string;
  value: string | null;
  score: string | null;
  weight: string;
  gate: boolean;
}

export interface PartnerLine {
  partnerId: string;
  costShare: string;
  performance: string;
  total: string;
}

export interface PeriodSummary {
  allianceId: string;
  periodId: string;
  status: 'provisional' | 'certified';
  cost: {
    target: string;
    outturn: string;
    variance: string;
    ratio: string | null;
    partnersShare: string;
    ownerShare: string;
    capApplied: 'pain' | 'gain' | null;
    partnersShareThisPeriod: string;
    previousPartnersShare: string;
  };
  performance: {
    score: string | null;
    gated: boolean;
    amount: string;
    missingKpis: string[];
    weightsTotal: string;
    kpis: KpiLine[];
  };
  partners: PartnerLine[];
}

/** What ClosePeriod records: the figures and a digest of the events they were computed from. */
export interface PeriodCertificate {
  certifiedAt: string;
  summary: PeriodSummary;
  inputs: {
    /** `sha256:` + hex over the input events, see docs/auditing.md. */
    digest: string;
    eventCount: number;
    /** The newest event considered, as `commit/prepare`; null when there were none. */
    upToPosition: string | null;
  };
}
