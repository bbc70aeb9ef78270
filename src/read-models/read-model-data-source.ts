import { DataSource } from 'typeorm';
import { readModelEntities, ReadModelEntities } from './entities';
import { CreateReadModels1767225600000 } from './migrations/1767225600000-create-read-models';
import { CreateStatementSignOffs1767312000000 } from './migrations/1767312000000-create-statement-sign-offs';
import { CreateWebhookTables1767398400000, webhookEntities } from '../feeds/webhook-tables';
import { CreateReportingViewsV11767484800000 } from '../reporting/create-reporting-views-v1';

export interface ReadModelConfig {
  /** `postgres://…` / `postgresql://…`, or `sqlite:<path>`. */
  url: string;
  /** PostgreSQL schema to keep the tables in. */
  schema?: string;
}

export interface ReadModelStore {
  dataSource: DataSource;
  entities: ReadModelEntities;
  dialect: 'postgres' | 'sqlite';
}

/**
 * Opens the read-model database. PostgreSQL runs the migrations; the embedded SQLite file is
 * created to match the entities.
 */
export async function openReadModels(config: ReadModelConfig): Promise<ReadModelStore> {
  const postgres = /^postgres(ql)?:\/\//.test(config.url);
  const entities = readModelEntities(postgres ? 'postgres' : 'sqlite');
  // Tables kept beside the read models but not rebuilt from events (webhooks and their outbox).
  const operational = Object.values(webhookEntities(postgres ? 'postgres' : 'sqlite'));
  const dataSource = postgres
    ? new DataSource({
        type: 'postgres',
        url: config.url,
        schema: config.schema ?? 'public',
        entities: [...Object.values(entities), ...operational],
        migrations: [CreateReadModels1767225600000, CreateStatementSignOffs1767312000000, CreateWebhookTables1767398400000, CreateReportingViewsV11767484800000],
        migrationsTableName: 'read_model_migrations',
        migrationsRun: true,
        extra: { max: 10, options: `-c search_path=${config.schema ?? 'public'}` },
      })
    : new DataSource({
        type: 'better-sqlite3',
        database: config.url.replace(/^sqlite:/, ''),
        entities: [...Object.values(entities), ...operational],
        synchronize: true,
        timeout: 10000,
        prepareDatabase: (db: { pragma(statement: string): unknown }) => {
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = NORMAL');
        },
      });
  if (postgres) await migrateUnderLock(config, dataSource);
  else await dataSource.initialize();
  return { dataSource, entities, dialect: postgres ? 'postgres' : 'sqlite' };
}

/**
 * Instances starting together against a fresh database would race to migrate it; a PostgreSQL
 * advisory lock, held on a separate connection, makes them take turns.
 */
async function migrateUnderLock(config: ReadModelConfig, dataSource: DataSource): Promise<void> {
  const schema = config.schema ?? 'public';
  const lock = new DataSource({ type: 'postgres', url: config.url, extra: { max: 1 } });
  await lock.initialize();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`alliance-ledger:read-models:${schema}`]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
    await dataSource.initialize();
  } finally {
    await lock.destroy();
  }
}
