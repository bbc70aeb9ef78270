import { MigrationInterface, QueryRunner } from 'typeorm';

/** The first read-model schema. Names are unqualified: the connection's search_path picks the schema. */
export class CreateReadModels1767225600000 implements MigrationInterface {
  name = 'CreateReadModels1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "projection_checkpoints" ("name" character varying NOT NULL, "position" character varying, "updated_at" character varying NOT NULL, CONSTRAINT "PK_0f69cb98ee85030b5da44336510" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_states" ("alliance_id" character varying NOT NULL, "state" text NOT NULL, "event_count" integer NOT NULL, "updated_at" character varying NOT NULL, CONSTRAINT "PK_2cfdab1708d2fd35af98c26c36a" PRIMARY KEY ("alliance_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "alliances" ("alliance_id" character varying NOT NULL, "name" character varying NOT NULL, "owner" character varying NOT NULL, "partners" json NOT NULL, "kpis" json NOT NULL, "period_count" integer NOT NULL, "scheme_count" integer NOT NULL, CONSTRAINT "PK_4087c55e9f46b5179ca8c48d1f1" PRIMARY KEY ("alliance_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "period_summaries" ("alliance_id" character varying NOT NULL, "period_id" character varying NOT NULL, "sequence" integer NOT NULL, "start_date" character varying NOT NULL, "end_date" character varying NOT NULL, "status" character varying NOT NULL, "target" numeric(20,2) NOT NULL, "outturn" numeric(20,2) NOT NULL, "variance" numeric(20,2) NOT NULL, "ratio" numeric(30,6), "partners_share" numeric(20,2) NOT NULL, "owner_share" numeric(20,2) NOT NULL, "cap_applied" character varying, "partners_share_this_period" numeric(20,2) NOT NULL, "previous_partners_share" numeric(20,2) NOT NULL, "score" numeric(30,4), "gated" boolean NOT NULL, "performance_amount" numeric(20,2) NOT NULL, "missing_kpis" character varying NOT NULL, "document" json NOT NULL, CONSTRAINT "PK_0998a6efe96dc858ec91e5b56ff" PRIMARY KEY ("alliance_id", "period_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "partner_statements" ("alliance_id" character varying NOT NULL, "period_id" character varying NOT NULL, "partner_id" character varying NOT NULL, "status" character varying NOT NULL, "cost_share" numeric(20,2) NOT NULL, "performance" numeric(20,2) NOT NULL, "total" numeric(20,2) NOT NULL, "cumulative_cost_share" numeric(20,2) NOT NULL, "previous_cumulative_cost_share" numeric(20,2) NOT NULL, "document" json NOT NULL, CONSTRAINT "PK_95d5fbfcec589993f6fbcfe2760" PRIMARY KEY ("alliance_id", "period_id", "partner_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "scheme_positions" ("alliance_id" character varying NOT NULL, "scheme_id" character varying NOT NULL, "name" character varying NOT NULL, "status" character varying NOT NULL, "completed_period_id" character varying, "baseline" numeric(20,2) NOT NULL, "compensation" numeric(20,2) NOT NULL, "target" numeric(20,2) NOT NULL, "defined_cost" numeric(20,2) NOT NULL, "disallowed" numeric(20,2) NOT NULL, "reversed_cost" numeric(20,2) NOT NULL, "outturn" numeric(20,2) NOT NULL, "variance" numeric(20,2) NOT NULL, CONSTRAINT "PK_a9a57b96e70a419a77b03abbe91" PRIMARY KEY ("alliance_id", "scheme_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "kpi_scores" ("alliance_id" character varying NOT NULL, "period_id" character varying NOT NULL, "kpi_id" character varying NOT NULL, "name" character varying NOT NULL, "unit" character varying NOT NULL, "value" numeric(30,6), "score" numeric(30,4), "weight" character varying NOT NULL, "gate" boolean NOT NULL, "status" character varying NOT NULL, CONSTRAINT "PK_3c21e9973bae7d6adca51d503e9" PRIMARY KEY ("alliance_id", "period_id", "kpi_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['kpi_scores', 'scheme_positions', 'partner_statements', 'period_summaries', 'alliances', 'ledger_states', 'projection_checkpoints']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
