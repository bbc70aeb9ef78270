import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { IDENTITY, Identity as IdentityService } from '../../src/access/identity/identity';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../../src/app';
import { AppConfig, loadConfig } from '../../src/config/app-config';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export type ReadModelBackend = 'sqlite' | 'postgres';

/** A client that sends every request as one signed-in user. */
export type HttpClient = Pick<ReturnType<typeof request>, 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head'>;

export interface Identity {
  /** An administrator of the ledger: every role in every alliance. */
  admin?: boolean;
}

export interface TestApp {
  app: INestApplication;
  /** Requests as the test administrator. */
  http: HttpClient;
  /** The base URL, for raw requests (send `await headersFor(...)` with them). */
  url: string;
  /** Requests as `subject`. */
  as(subject: string, identity?: Identity): Promise<HttpClient>;
  /** The headers that make a raw request come from `subject`. */
  headersFor(subject: string, identity?: Identity): Promise<Record<string, string>>;
  config: AppConfig;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readModels?: ReadModelBackend;
  /** Settings on top of the test defaults; `PORT` makes the app listen on that port (else any free one). */
  env?: Record<string, string>;
  dataDir?: string;
  schema?: string;
  /** Where bearer tokens come from when AUTH_ISSUER names a provider (the local issuer mints its own). */
  tokens?: (subject: string, identity: Identity) => Promise<string>;
}

/** The service on a fresh data directory (and, for PostgreSQL, a fresh schema dropped afterwards). */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
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
  try {
    await app.listen(options.env?.PORT ? Number(options.env.PORT) : 0, '127.0.0.1');
  } catch (error) {
    // A PORT another process took meanwhile (EADDRINUSE): leave nothing behind, so the caller can try another.
    await app.close();
    if (postgres && !options.schema) await dropSchema(schema);
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const identity = app.get<IdentityService>(IDENTITY);
  const headersFor = async (subject: string, { admin = false }: Identity = {}) => {
    if (options.tokens) return { Authorization: `Bearer ${await options.tokens(subject, { admin })}` };
    if (!identity.local) throw new Error('headersFor mints local-issuer tokens; with AUTH_ISSUER set, pass startTestApp({ tokens }) to get them from the provider');
    return { Authorization: `Bearer ${await identity.local.issuer.accessToken({ subject, admin, expiresIn: 3600 })}` };
  };
  const as = async (subject: string, identity: Identity = {}) => clientWith(url, await headersFor(subject, identity));
  return {
    app,
    http: await as('test-admin', { admin: true }),
    url,
    as,
    headersFor,
    config,
    dataDir,
    async close() {
      await app.close();
      if (postgres && !options.schema) await dropSchema(schema);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function clientWith(url: string, headers: Record<string, string>): HttpClient {
  const agent = request(url);
  const withHeaders =
    (method: 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head') =>
    (path: string) =>
      agent[method](path).set(headers);
  return { get: withHeaders('get'), post: withHeaders('post'), put: withHeaders('put'), delete: withHeaders('delete'), patch: withHeaders('patch'), head: withHeaders('head') } as HttpClient;
}

export async function dropSchema(schema: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: POSTGRES_URL });
  await admin.initialize();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}_reporting" CASCADE`);
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
