import { EntitySchema, EntitySchemaColumnOptions, MigrationInterface, QueryRunner } from 'typeorm';
import type { Dialect } from '../read-models/entities';

/**
 * Webhooks are operational settings, not ledger facts: they live beside the read models (so every
 * instance sharing them delivers from one outbox), never in the event log, which would expose
 * their secrets to everyone who reads the history. A rebuild of the read models leaves them alone.
 */
export interface WebhookRow {
  allianceId: string;
  webhookId: string;
  url: string;
  secret: string;
  /** Comma-separated event types. */
  eventTypes: string;
  createdBy: string;
  createdAt: string;
}

/** One event to deliver to one webhook: the outbox, in `seq` order per webhook. */
export interface DeliveryRow {
  seq?: number;
  deliveryId: string;
  allianceId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  position: string;
  payload: string;
  status: 'pending' | 'delivered';
  attempts: number;
  nextAttemptAt: string;
  deliveredAt: string | null;
  createdAt: string;
}

/** The delivery log: one row per attempt, what the receiver answered or why it could not be reached. */
export interface AttemptRow {
  seq?: number;
  deliveryId: string;
  allianceId: string;
  webhookId: string;
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export function webhookEntities(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const text = (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: pg ? 'varchar' : 'text', nullable });
  const key = (name: string): EntitySchemaColumnOptions => ({ name, type: pg ? 'varchar' : 'text', primary: true });
  const integer = (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: 'integer', nullable });
  const serial: EntitySchemaColumnOptions = { name: 'seq', type: 'integer', primary: true, generated: 'increment' };
  const Webhook = new EntitySchema<WebhookRow>({
    name: 'FeedWebhook',
    tableName: 'feed_webhooks',
    columns: {
      allianceId: key('alliance_id'),
      webhookId: key('webhook_id'),
      url: text('url'),
      secret: text('secret'),
      eventTypes: text('event_types'),
      createdBy: text('created_by'),
      createdAt: text('created_at'),
    },
  });
  const Delivery = new EntitySchema<DeliveryRow>({
    name: 'FeedWebhookDelivery',
    tableName: 'feed_webhook_deliveries',
    columns: {
      seq: serial,
      deliveryId: text('delivery_id'),
      allianceId: text('alliance_id'),
      webhookId: text('webhook_id'),
      eventId: text('event_id'),
      eventType: text('event_type'),
      position: text('position'),
      payload: { name: 'payload', type: 'text' },
      status: text('status'),
      attempts: integer('attempts'),
      nextAttemptAt: text('next_attempt_at'),
      deliveredAt: text('delivered_at', true),
      createdAt: text('created_at'),
    },
    uniques: [{ name: 'UQ_feed_webhook_deliveries_delivery', columns: ['deliveryId'] }],
    indices: [{ name: 'IDX_feed_webhook_deliveries_pending', columns: ['webhookId', 'status', 'seq'] }],
  });
  const Attempt = new EntitySchema<AttemptRow>({
    name: 'FeedWebhookAttempt',
    tableName: 'feed_webhook_attempts',
    columns: {
      seq: serial,
      deliveryId: text('delivery_id'),
      allianceId: text('alliance_id'),
      webhookId: text('webhook_id'),
      attempt: integer('attempt'),
      at: text('at'),
      statusCode: integer('status_code', true),
      error: text('error', true),
      durationMs: integer('duration_ms'),
    },
    indices: [{ name: 'IDX_feed_webhook_attempts_webhook', columns: ['allianceId', 'webhookId', 'seq'] }],
  });
  return { Webhook, Delivery, Attempt };
}

/** The same tables on PostgreSQL (SQLite is created from the entities). */
export class CreateWebhookTables1767398400000 implements MigrationInterface {
  name = 'CreateWebhookTables1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "feed_webhooks" ("alliance_id" character varying NOT NULL, "webhook_id" character varying NOT NULL, "url" character varying NOT NULL, "secret" character varying NOT NULL, "event_types" character varying NOT NULL, "created_by" character varying NOT NULL, "created_at" character varying NOT NULL, CONSTRAINT "PK_feed_webhooks" PRIMARY KEY ("alliance_id", "webhook_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "feed_webhook_deliveries" ("seq" SERIAL NOT NULL, "delivery_id" character varying NOT NULL, "alliance_id" character varying NOT NULL, "webhook_id" character varying NOT NULL, "event_id" character varying NOT NULL, "event_type" character varying NOT NULL, "position" character varying NOT NULL, "payload" text NOT NULL, "status" character varying NOT NULL, "attempts" integer NOT NULL, "next_attempt_at" character varying NOT NULL, "delivered_at" character varying, "created_at" character varying NOT NULL, CONSTRAINT "UQ_feed_webhook_deliveries_delivery" UNIQUE ("delivery_id"), CONSTRAINT "PK_feed_webhook_deliveries" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_feed_webhook_deliveries_pending" ON "feed_webhook_deliveries" ("webhook_id", "status", "seq")`);
    await queryRunner.query(
      `CREATE TABLE "feed_webhook_attempts" ("seq" SERIAL NOT NULL, "delivery_id" character varying NOT NULL, "alliance_id" character varying NOT NULL, "webhook_id" character varying NOT NULL, "attempt" integer NOT NULL, "at" character varying NOT NULL, "status_code" integer, "error" character varying, "duration_ms" integer NOT NULL, CONSTRAINT "PK_feed_webhook_attempts" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_feed_webhook_attempts_webhook" ON "feed_webhook_attempts" ("alliance_id", "webhook_id", "seq")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['feed_webhook_attempts', 'feed_webhook_deliveries', 'feed_webhooks']) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
