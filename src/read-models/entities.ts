import { EntitySchema, EntitySchemaColumnOptions } from 'typeorm';

export type Dialect = 'postgres' | 'sqlite';

/** Rows as reporting tools see them. Money is decimal text in pounds ("1234.56"). */
export interface CheckpointRow {
  name: string;
  position: string | null;
  updatedAt: string;
}

export interface LedgerStateRow {
  allianceId: string;
  state: string;
  eventCount: number;
  updatedAt: string;
}

export interface AllianceRow {
  allianceId: string;
  name: string;
  owner: string;
  partners: object;
  kpis: object;
  periodCount: number;
  schemeCount: number;
}

export interface PeriodSummaryRow {
  allianceId: string;
  periodId: string;
  sequence: number;
  startDate: string;
  endDate: string;
  status: string;
  target: string;
  outturn: string;
  variance: string;
  ratio: string | null;
  partnersShare: string;
  ownerShare: string;
  capApplied: string | null;
  partnersShareThisPeriod: string;
  previousPartnersShare: string;
  score: string | null;
  gated: boolean;
  performanceAmount: string;
  missingKpis: string;
  document: object;
}

export interface PartnerStatementRow {
  allianceId: string;
  periodId: string;
  partnerId: string;
  status: string;
  costShare: string;
  performance: string;
  total: string;
  cumulativeCostShare: string;
  previousCumulativeCostShare: string;
  document: object;
}

export interface SchemePositionRow {
  allianceId: string;
  schemeId: string;
  name: string;
  status: string;
  completedPeriodId: string | null;
  baseline: string;
  compensation: string;
  target: string;
  definedCost: string;
  disallowed: string;
  reversedCost: string;
  outturn: string;
  variance: string;
}

export interface KpiScoreRow {
  allianceId: string;
  periodId: string;
  kpiId: string;
  name: string;
  unit: string;
  value: string | null;
  score: string | null;
  weight: string;
  gate: boolean;
  status: string;
}

/** A partner's latest sign-off of one period's certified statement. */
export interface SignOffRow {
  allianceId: string;
  periodId: string;
  partnerId: string;
  status: 'acknowledged' | 'disputed';
  by: string;
  at: string;
  reason: string | null;
}

/**
 * The read-model tables, built for a dialect: PostgreSQL keeps money as numeric(20,2) and
 * documents as json for reporting tools; SQLite keeps both as text so nothing becomes a float.
 */
export function readModelEntities(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const text = (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: pg ? 'varchar' : 'text', nullable });
  const money = (name: string): EntitySchemaColumnOptions => ({ name, type: pg ? 'numeric' : 'text', ...(pg ? { precision: 20, scale: 2 } : {}) });
  const decimal = (name: string, scale: number): EntitySchemaColumnOptions => ({
    name,
    type: pg ? 'numeric' : 'text',
    nullable: true,
    ...(pg ? { precision: 30, scale } : {}),
  });
  // json (not jsonb) keeps the documents' key order as written.
  const json = (name: string): EntitySchemaColumnOptions => ({ name, type: pg ? 'json' : 'simple-json' });
  const key = (name: string): EntitySchemaColumnOptions => ({ name, type: pg ? 'varchar' : 'text', primary: true });
  const integer = (name: string): EntitySchemaColumnOptions => ({ name, type: 'integer' });
  const flag = (name: string): EntitySchemaColumnOptions => ({ name, type: 'boolean' });

  const Checkpoint = new EntitySchema<CheckpointRow>({
    name: 'Checkpoint',
    tableName: 'projection_checkpoints',
    columns: { name: key('name'), position: text('position', true), updatedAt: text('updated_at') },
  });
  const LedgerState = new EntitySchema<LedgerStateRow>({
    name: 'LedgerState',
    tableName: 'ledger_states',
    columns: { allianceId: key('alliance_id'), state: { name: 'state', type: 'text' }, eventCount: integer('event_count'), updatedAt: text('updated_at') },
  });
  const Alliance = new EntitySchema<AllianceRow>({
    name: 'Alliance',
    tableName: 'alliances',
    columns: {
      allianceId: key('alliance_id'),
      name: text('name'),
      owner: text('owner'),
      partners: json('partners'),
      kpis: json('kpis'),
      periodCount: integer('period_count'),
      schemeCount: integer('scheme_count'),
    },
  });
  const PeriodSummary = new EntitySchema<PeriodSummaryRow>({
    name: 'PeriodSummary',
    tableName: 'period_summaries',
    columns: {
      allianceId: key('alliance_id'),
      periodId: key('period_id'),
      sequence: integer('sequence'),
      startDate: text('start_date'),
      endDate: text('end_date'),
      status: text('status'),
      target: money('target'),
      outturn: money('outturn'),
      variance: money('variance'),
      ratio: decimal('ratio', 6),
      partnersShare: money('partners_share'),
      ownerShare: money('owner_share'),
      capApplied: text('cap_applied', true),
      partnersShareThisPeriod: money('partners_share_this_period'),
      previousPartnersShare: money('previous_partners_share'),
      score: decimal('score', 4),
      gated: flag('gated'),
      performanceAmount: money('performance_amount'),
      missingKpis: text('missing_kpis'),
      document: json('document'),
    },
  });
  const PartnerStatement = new EntitySchema<PartnerStatementRow>({
    name: 'PartnerStatement',
    tableName: 'partner_statements',
    columns: {
      allianceId: key('alliance_id'),
      periodId: key('period_id'),
      partnerId: key('partner_id'),
      status: text('status'),
      costShare: money('cost_share'),
      performance: money('performance'),
      total: money('total'),
      cumulativeCostShare: money('cumulative_cost_share'),
      previousCumulativeCostShare: money('previous_cumulative_cost_share'),
      document: json('document'),
    },
  });
  const SchemePosition = new EntitySchema<SchemePositionRow>({
    name: 'SchemePosition',
    tableName: 'scheme_positions',
    columns: {
      allianceId: key('alliance_id'),
      schemeId: key('scheme_id'),
      name: text('name'),
      status: text('status'),
      completedPeriodId: text('completed_period_id', true),
      baseline: money('baseline'),
      compensation: money('compensation'),
      target: money('target'),
      definedCost: money('defined_cost'),
      disallowed: money('disallowed'),
      reversedCost: money('reversed_cost'),
      outturn: money('outturn'),
      variance: money('variance'),
    },
  });
  const KpiScore = new EntitySchema<KpiScoreRow>({
    name: 'KpiScore',
    tableName: 'kpi_scores',
    columns: {
      allianceId: key('alliance_id'),
      periodId: key('period_id'),
      kpiId: key('kpi_id'),
      name: text('name'),
      unit: text('unit'),
      value: decimal('value', 6),
      score: decimal('score', 4),
      weight: text('weight'),
      gate: flag('gate'),
      status: text('status'),
    },
  });
  const SignOff = new EntitySchema<SignOffRow>({
    name: 'SignOff',
    tableName: 'statement_sign_offs',
    columns: {
      allianceId: key('alliance_id'),
      periodId: key('period_id'),
      partnerId: key('partner_id'),
      status: text('status'),
      by: text('signed_by'),
      at: text('signed_at'),
      reason: text('reason', true),
    },
  });
  return { Checkpoint, LedgerState, Alliance, PeriodSummary, PartnerStatement, SchemePosition, KpiScore, SignOff };
}

export type ReadModelEntities = ReturnType<typeof readModelEntities>;
