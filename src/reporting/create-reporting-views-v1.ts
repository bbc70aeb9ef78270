import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reporting schema a dashboard (Power BI, Metabase…) is built on: views over the read models
 * with plain SQL types, documented column by column in docs/reporting.md. A published view never
 * changes: a new shape is a new view with the next version suffix, beside the old one, and the
 * test in test/reporting/ fails if a documented column moves.
 *
 * The schema is `reporting` for read models in `public`, else `{schema}_reporting`, so several
 * deployments (and test runs) can share one database.
 */
export function reportingSchemaFor(readModelSchema: string): string {
  return readModelSchema === 'public' ? 'reporting' : `${readModelSchema}_reporting`;
}

export const REPORTING_VIEWS_V1: ReadonlyArray<{ name: string; comment: string; sql: (source: string) => string }> = [
  {
    name: 'alliances_v1',
    comment: 'One row per alliance: its name, owner and how many periods and schemes it has.',
    sql: (s) => `SELECT alliance_id, name, owner, period_count, scheme_count FROM ${s}."alliances"`,
  },
  {
    name: 'partners_v1',
    comment: 'One row per partner of an alliance, with its role, allocation share and fee at risk.',
    sql: (s) => `SELECT a.alliance_id, (p.value ->> 'partnerId')::varchar AS partner_id, (p.value ->> 'name')::varchar AS name, (p.value ->> 'role')::varchar AS role,
      (p.value ->> 'allocationShare')::numeric AS allocation_share, (p.value ->> 'feeAtRisk')::numeric(20,2) AS fee_at_risk, (p.ordinality)::integer AS ordinal
      FROM ${s}."alliances" a CROSS JOIN LATERAL json_array_elements(a.partners) WITH ORDINALITY AS p(value, ordinality)`,
  },
  {
    name: 'period_summaries_v1',
    comment: 'One row per period: target, outturn, the cost share and performance figures, provisional or certified.',
    sql: (s) => `SELECT alliance_id, period_id, sequence, start_date::date AS start_date, end_date::date AS end_date, status, target, outturn, variance, ratio,
      partners_share, owner_share, cap_applied, partners_share_this_period, previous_partners_share, score, gated, performance_amount,
      CASE WHEN missing_kpis = '' THEN 0 ELSE array_length(string_to_array(missing_kpis, ','), 1) END AS missing_kpi_count
      FROM ${s}."period_summaries"`,
  },
  {
    name: 'partner_statements_v1',
    comment: 'One row per partner and period: its cost share, performance and total, and its latest sign-off.',
    sql: (s) => `SELECT st.alliance_id, st.period_id, st.partner_id, st.status, st.cost_share, st.performance, st.total, st.cumulative_cost_share,
      st.previous_cumulative_cost_share, so.status AS sign_off_status, so.signed_by, so.signed_at::timestamptz AS signed_at, so.reason AS sign_off_reason
      FROM ${s}."partner_statements" st LEFT JOIN ${s}."statement_sign_offs" so
      ON so.alliance_id = st.alliance_id AND so.period_id = st.period_id AND so.partner_id = st.partner_id`,
  },
  {
    name: 'kpi_scores_v1',
    comment: 'One row per KPI and period: the value, the score on the -100..100 scale, the weight and whether it gates.',
    sql: (s) => `SELECT alliance_id, period_id, kpi_id, name, unit, value, score, weight::numeric AS weight, gate, status FROM ${s}."kpi_scores"`,
  },
  {
    name: 'scheme_positions_v1',
    comment: 'One row per scheme: its target build-up, outturn and variance, and when it completed.',
    sql: (s) => `SELECT alliance_id, scheme_id, name, status, completed_period_id, baseline, compensation, target, defined_cost, disallowed, reversed_cost, outturn, variance
      FROM ${s}."scheme_positions"`,
  },
];

export class CreateReportingViewsV11767484800000 implements MigrationInterface {
  name = 'CreateReportingViewsV11767484800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [{ schema }] = (await queryRunner.query('SELECT current_schema() AS schema')) as Array<{ schema: string }>;
    const reporting = quote(reportingSchemaFor(schema));
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${reporting}`);
    await queryRunner.query(`COMMENT ON SCHEMA ${reporting} IS 'Alliance Ledger reporting views: documented in docs/reporting.md, versioned by suffix, never changed once published'`);
    for (const view of REPORTING_VIEWS_V1) {
      await queryRunner.query(`CREATE VIEW ${reporting}.${quote(view.name)} AS ${view.sql(quote(schema))}`);
      await queryRunner.query(`COMMENT ON VIEW ${reporting}.${quote(view.name)} IS '${view.comment.replace(/'/g, "''")}'`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const [{ schema }] = (await queryRunner.query('SELECT current_schema() AS schema')) as Array<{ schema: string }>;
    await queryRunner.query(`DROP SCHEMA IF EXISTS ${quote(reportingSchemaFor(schema))} CASCADE`);
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
