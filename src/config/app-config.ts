import { isAbsolute, join, resolve } from 'node:path';
import { WebhookSettings, webhookSettings } from '../feeds/webhook-config';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStore: { kind: 'embedded'; path: string; synchronous: 'full' | 'normal' } | { kind: 'eventstoredb'; connectionString: string };
  readModels: { url: string; schema: string };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** TRUST_PROXY: how many reverse proxies stand in front, so the client's address (throttling, logs) is read from X-Forwarded-For. */
  trustProxy: number;
  auth: AuthConfig;
  http: HttpLimits;
  webhooks: WebhookSettings;
}

export interface AuthConfig {
  /** AUTH_ISSUER: an external OpenID Connect provider; null for the local issuer in the data directory. */
  issuer: string | null;
  audience: string;
  /** LEDGER_ADMINS: subjects who administer the ledger. */
  admins: ReadonlySet<string>;
  /** The pages' sign-in through the provider (authorization code + PKCE). */
  clientId: string | null;
  clientSecret: string | null;
  /** Where browsers reach the service; the sign-in callback is under it, and https makes cookies Secure. */
  publicUrl: string;
  sessionSecret: string | null;
  sessionTtlSeconds: number;
  failureLimitPerMinute: number;
  jwksCooldownMs: number;
}

/** What one request may cost the service: sizes in bytes, times in milliseconds. */
export interface HttpLimits {
  maxBodyBytes: number;
  maxImportLineBytes: number;
  maxImportBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export const APP_CONFIG = Symbol('AppConfig');

/** A bad setting; the message names the variable and what is wrong with it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and checks the whole configuration once, at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const port = integer(env, 'PORT', 3000, 1, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  const dataDir = absolute(env.LEDGER_DATA_DIR?.trim() || 'data', cwd);

  const kind = choice(env, 'EVENT_STORE', ['embedded', 'eventstoredb'] as const, 'embedded');
  let eventStore: AppConfig['eventStore'];
  if (kind === 'eventstoredb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING?.trim();
    if (!connectionString) throw new ConfigError('EVENTSTORE_CONNECTION_STRING', 'is required when EVENT_STORE=eventstoredb (e.g. esdb://localhost:2113?tls=false)');
    if (!/^(esdb|kurrentdb|kdb)(\+discover)?:\/\/[^\s]+$/.test(connectionString)) {
      throw new ConfigError('EVENTSTORE_CONNECTION_STRING', `must be an esdb:// or esdb+discover:// connection string (got "${connectionString}")`);
    }
    eventStore = { kind, connectionString: connectionString.replace(/^(kurrentdb|kdb)/, 'esdb') };
  } else {
    eventStore = { kind, path: join(dataDir, 'events.db'), synchronous: choice(env, 'LEDGER_SQLITE_SYNCHRONOUS', ['full', 'normal'] as const, 'full') };
  }

  const readModelUrl = env.READ_MODEL_URL?.trim() || `sqlite:${join(dataDir, 'read-models.db')}`;
  if (!/^(postgres(ql)?:\/\/\S+|sqlite:\S+)$/.test(readModelUrl)) {
    throw new ConfigError('READ_MODEL_URL', `must be postgres://user@host:port/database or sqlite:<file> (got "${readModelUrl}")`);
  }
  const readModels = {
    url: readModelUrl.startsWith('sqlite:') ? `sqlite:${absolute(readModelUrl.slice('sqlite:'.length), cwd)}` : readModelUrl,
    schema: env.READ_MODEL_SCHEMA?.trim() || 'public',
  };
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(readModels.schema)) throw new ConfigError('READ_MODEL_SCHEMA', `must be a lower-case SQL identifier (got "${readModels.schema}")`);

  return { port, host, dataDir, eventStore, readModels, logLevel: choice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'), trustProxy: integer(env, 'TRUST_PROXY', 0, 0, 10), auth: authConfig(env, port), http: httpLimits(env), webhooks: webhookSettings(env) };
}

function authConfig(env: NodeJS.ProcessEnv, port: number): AuthConfig {
  const issuer = env.AUTH_ISSUER?.trim() || null;
  if (issuer !== null && !isProviderUrl(issuer)) throw new ConfigError('AUTH_ISSUER', `must be the provider's https:// issuer URL, exactly as its discovery document names it (got "${issuer}")`);
  const audience = env.AUTH_AUDIENCE?.trim() || (issuer ? '' : 'alliance-ledger');
  if (!audience) throw new ConfigError('AUTH_AUDIENCE', 'is required with AUTH_ISSUER: the audience (aud) your provider puts in access tokens for the ledger');
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\/[^\s/]+$/.test(publicUrl)) throw new ConfigError('PUBLIC_URL', `must be the service's base URL, e.g. https://ledger.example.com (got "${publicUrl}")`);
  const clientId = env.AUTH_CLIENT_ID?.trim() || null;
  const sessionSecret = env.AUTH_SESSION_SECRET?.trim() || null;
  if (sessionSecret !== null && sessionSecret.length < 32) throw new ConfigError('AUTH_SESSION_SECRET', 'must be at least 32 characters (e.g. openssl rand -base64 32)');
  return {
    issuer,
    audience,
    admins: new Set((env.LEDGER_ADMINS ?? '').split(',').map((subject) => subject.trim()).filter(Boolean)),
    clientId,
    clientSecret: env.AUTH_CLIENT_SECRET?.trim() || null,
    publicUrl,
    sessionSecret,
    sessionTtlSeconds: integer(env, 'AUTH_SESSION_TTL_SECONDS', 8 * 3600, 60, 7 * 24 * 3600),
    failureLimitPerMinute: integer(env, 'AUTH_FAILURE_LIMIT', 30, 1, 100000),
    jwksCooldownMs: integer(env, 'AUTH_JWKS_COOLDOWN_MS', 30000, 0, 3600000),
  };
}

/** https, or http on this machine (a provider started for development or tests). */
function isProviderUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

const MIB = 1024 * 1024;

function httpLimits(env: NodeJS.ProcessEnv): HttpLimits {
  const limits = {
    maxBodyBytes: integer(env, 'LEDGER_MAX_BODY_BYTES', MIB, 1024, 1024 * MIB),
    maxImportLineBytes: integer(env, 'LEDGER_MAX_IMPORT_LINE_BYTES', MIB, 1024, 1024 * MIB),
    maxImportBytes: integer(env, 'LEDGER_MAX_IMPORT_BYTES', 1024 * MIB, 1024, Number.MAX_SAFE_INTEGER),
    headersTimeoutMs: integer(env, 'LEDGER_HEADERS_TIMEOUT_MS', 10_000, 100, 3_600_000),
    requestTimeoutMs: integer(env, 'LEDGER_REQUEST_TIMEOUT_MS', 60_000, 100, 86_400_000),
    keepAliveTimeoutMs: integer(env, 'LEDGER_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 3_600_000),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError('LEDGER_HEADERS_TIMEOUT_MS', `must not be more than LEDGER_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`);
  }
  if (limits.maxImportLineBytes > limits.maxImportBytes) {
    throw new ConfigError('LEDGER_MAX_IMPORT_LINE_BYTES', `must not be more than LEDGER_MAX_IMPORT_BYTES (${limits.maxImportBytes})`);
  }
  return limits;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${text}")`);
  return value;
}

function choice<T extends string>(env: NodeJS.ProcessEnv, name: string, options: readonly T[], fallback: T): T {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (!options.includes(text as T)) throw new ConfigError(name, `must be one of ${options.join(', ')} (got "${text}")`);
  return text as T;
}

function absolute(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
