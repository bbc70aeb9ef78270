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
  /** cancelled: the period was opened by mistake and withdrawn before any fact named it. */
  status: 'provisional' | 'certified' | 'cancelled';
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
  /** Only while a close is proposed and awaiting a second person; never part of certified figures. */
  closeProposal?: PendingCloseProposal;
}

/** A proposed close, as readers see it: who proposed it, when, and the digest of the inputs proposed. */
export interface PendingCloseProposal {
  proposedBy: string;
  proposedAt: string;
  digest: string;
}

/** The certified figures and their inputs as the engine computes them, before anyone signs for them. */
export type CertificateFigures = Omit<PeriodCertificate, 'proposedBy' | 'approvedBy' | 'signature'>;

/** The alliance's whole history as it stood when the figures were computed: its Merkle tree (docs/integrity.md). */
export interface LedgerDigest {
  algorithm: 'rfc6962-sha256';
  /** How many of the alliance's events the tree covers: its first `treeSize` events in log order. */
  treeSize: number;
  /** Hex SHA-256 root of those events' leaves. */
  root: string;
}

/** The service's Ed25519 signature over a certificate (docs/integrity.md); its public key is published at /.well-known/alliance-ledger-keys.json. */
export interface CertificateSignature {
  algorithm: 'Ed25519';
  keyId: string;
  /** base64url */
  value: string;
}

/** Signs a certificate as it will be recorded (without its signature). Ed25519 is deterministic, so deciding stays repeatable. */
export type CertificateSealer = (allianceId: string, periodId: string, certificate: Omit<PeriodCertificate, 'signature'>) => CertificateSignature;

/**
 * What closing a period records: the figures, a digest of the events they were computed from, and
 * who closed it. With two approvals: the proposer and the approver. With one: who closed it, and
 * `approvedBy: null`. Certificates recorded before four-eyes closing read with both null.
 */
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
  proposedBy: string | null;
  approvedBy: string | null;
  /** The digest of the alliance's whole history at the close; null on certificates from before it was recorded. */
  ledger: LedgerDigest | null;
  /** Null on certificates from before they were signed. */
  signature: CertificateSignature | null;
}
