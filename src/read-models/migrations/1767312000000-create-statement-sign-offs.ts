import { MigrationInterface, QueryRunner } from 'typeorm';

/** Partners' sign-off of their certified statements: the latest acknowledgement or dispute of each. */
export class CreateStatementSignOffs1767312000000 implements MigrationInterface {
  name = 'CreateStatementSignOffs1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "statement_sign_offs" ("alliance_id" character varying NOT NULL, "period_id" character varying NOT NULL, "partner_id" character varying NOT NULL, "status" character varying NOT NULL, "signed_by" character varying NOT NULL, "signed_at" character varying NOT NULL, "reason" character varying, CONSTRAINT "PK_b41df8a94cb0fe5925a140a0a33" PRIMARY KEY ("alliance_id", "period_id", "partner_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "statement_sign_offs"`);
  }
}
