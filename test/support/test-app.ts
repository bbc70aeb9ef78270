import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../../src/app';
import { AppConfig, loadConfig } from '../../src/config/app-config';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export type ReadModelBackend = 'sqlite' | 'postgres';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  dataDir: string;
  close(): Promise<void>;
}

/** The service on a fresh data directory (and, for PostgreSQL, a fresh schema dropped afterwards). */
export async function startTestApp(options: { readModels?: ReadModelBackend; env?: Record<string, string>; dataDir?: string; schema?: string } = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledger-test-'));
  const schema = options.schema ?? `ledger_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const postgres = options.readModels === 'postgres';
  const config = loadConfig({
    LEDGER_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LEDGER_SQLITE_SYNCHRONOUS: 'normal',
    ...(postgres ? { READ_MODEL_URL: POSTGRES_URL, READ_MODEL_SCHEMA: schema } : {}),
    ...options.env,
  });
  const app = await createHttpApp(config);
  // Listen once: supertest would otherwise bind the server anew for each of many concurrent requests.
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    http: request(`http://127.0.0.1:${port}`),
    config,
    dataDir,
    async close() {
      await app.close();
      if (postgres && !options.schema) await dropSchema(schema);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: POSTGRES_URL });
  await admin.initialize();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.destroy();
}

export function fixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
}

export function importNdjson(http: TestApp['http'], allianceId: string, body: string) {
  return http.post(`/alliances/${allianceId}/imports`).set('Content-Type', 'application/x-ndjson').send(body);
}

/** NDJSON text from command lines. */
export function ndjson(...lines: Array<{ command: string; commandId?: string; data: Record<string, unknown> }>): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}
