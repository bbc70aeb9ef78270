import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MULTI_PERIOD } from '../support/multi-period';
import { importNdjson, POSTGRES_URL, startTestApp, TestApp } from '../support/test-app';

type Columns = Record<string, Array<[string, string]>>;

/** The views and columns docs/reporting.md documents: `### \`reporting.view\`` then `| \`column\` | \`type\` | … |`. */
function documentedViews(): Columns {
  const views: Columns = {};
  let current: string | undefined;
  for (const line of readFileSync(join(__dirname, '..', '..', 'docs', 'reporting.md'), 'utf8').split('\n')) {
    const heading = /^### `reporting\.(\w+)`/.exec(line);
    if (heading) views[(current = heading[1])] = [];
    const row = /^\| `(\w+)` \| `([\w ]+)` \|/.exec(line);
    if (row && current) views[current].push([row[1], row[2]]);
  }
  return views;
}

/**
 * Version 1 as published. Never edit this list: a change to a view is a new `_v2` view (and its
 * own frozen list), so a dashboard built on `_v1` keeps working.
 */
const V1: Record<string, string[]> = {
  alliances_v1: ['alliance_id', 'name', 'owner', 'period_count', 'scheme_count'],
  partners_v1: ['alliance_id', 'partner_id', 'name', 'role', 'allocation_share', 'fee_at_risk', 'ordinal'],
  period_summaries_v1: [
    'alliance_id', 'period_id', 'sequence', 'start_date', 'end_date', 'status', 'target', 'outturn', 'variance', 'ratio', 'partners_share', 'owner_share',
    'cap_applied', 'partners_share_this_period', 'previous_partners_share', 'score', 'gated', 'performance_amount', 'missing_kpi_count',
  ],
  partner_statements_v1: [
    'alliance_id', 'period_id', 'partner_id', 'status', 'cost_share', 'performance', 'total', 'cumulative_cost_share', 'previous_cumulative_cost_share',
    'sign_off_status', 'signed_by', 'signed_at', 'sign_off_reason',
  ],
  kpi_scores_v1: ['alliance_id', 'period_id', 'kpi_id', 'name', 'unit', 'value', 'score', 'weight', 'gate', 'status'],
  scheme_positions_v1: ['alliance_id', 'scheme_id', 'name', 'status', 'completed_period_id', 'baseline', 'compensation', 'target', 'defined_cost', 'disallowed', 'reversed_cost', 'outturn', 'variance'],
};

describe('the reporting schema on PostgreSQL', () => {
  let service: TestApp;
  let db: DataSource;
  let reporting: string;

  beforeAll(async () => {
    service = await startTestApp({ readModels: 'postgres' });
    reporting = `${service.config.readModels.schema}_reporting`;
    await importNdjson(service.http, 'tq', MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1).expect(200);
    await service.http.post('/alliances/tq/periods/2026-Q1/statements/S1/dispute').send({ reason: 'CE-7 is missing' }).expect(201);
    await service.http.get('/alliances/tq/periods/2026-Q1/summary').expect(200);
    db = new DataSource({ type: 'postgres', url: POSTGRES_URL });
    await db.initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await service.close();
  });

  it('has exactly the documented views, each with the documented columns, types and order', async () => {
    const rows: Array<{ table_name: string; column_name: string; data_type: string }> = await db.query(
      `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c JOIN information_schema.views v ON v.table_schema = c.table_schema AND v.table_name = c.table_name
       WHERE c.table_schema = $1 ORDER BY c.table_name, c.ordinal_position`,
      [reporting],
    );
    const actual: Columns = {};
    for (const row of rows) (actual[row.table_name] ??= []).push([row.column_name, row.data_type]);
    const documented = documentedViews();
    expect(Object.keys(documented).sort()).toEqual(Object.keys(V1).sort());
    expect(actual).toEqual(documented);
  });

  it('keeps version 1 as it was published', () => {
    const documented = documentedViews();
    for (const [view, columns] of Object.entries(V1)) expect([view, documented[view].map(([name]) => name)]).toEqual([view, columns]);
  });

  it('answers with the ledger’s figures: money as exact numeric, dates as dates, the sign-off beside the statement', async () => {
    const [summary] = await db.query(`SELECT * FROM "${reporting}".period_summaries_v1 WHERE alliance_id = 'tq' AND period_id = '2026-Q1'`);
    expect(summary).toMatchObject({ status: 'certified', target: '100000000.00', outturn: '90000000.00', variance: '10000000.00', partners_share: '5000000.00', gated: false, missing_kpi_count: 0 });
    expect(summary.start_date).toEqual(new Date('2026-01-01T00:00:00.000Z'));
    const [statement] = await db.query(`SELECT * FROM "${reporting}".partner_statements_v1 WHERE alliance_id = 'tq' AND partner_id = 'S1'`);
    expect(statement).toMatchObject({ status: 'certified', sign_off_status: 'disputed', signed_by: 'test-admin', sign_off_reason: 'CE-7 is missing' });
    const partners = await db.query(`SELECT partner_id, ordinal, allocation_share FROM "${reporting}".partners_v1 WHERE alliance_id = 'tq' ORDER BY ordinal`);
    expect(partners.length).toBeGreaterThan(2);
    expect(partners[0]).toMatchObject({ ordinal: 1 });
    const [comment] = await db.query(`SELECT obj_description($1::regclass) AS text`, [`"${reporting}".kpi_scores_v1`]);
    expect(comment.text).toMatch(/-100\.\.100/);
  });
});
