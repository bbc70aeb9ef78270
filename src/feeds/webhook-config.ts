import { ConfigError } from '../config/app-config';

/** How webhook deliveries are retried and how long a receiver may take (milliseconds). */
export interface WebhookSettings {
  /** LEDGER_WEBHOOK_RETRY_BASE_MS: the first retry's wait, doubled after each failure. */
  retryBaseMs: number;
  /** LEDGER_WEBHOOK_RETRY_MAX_MS: the longest wait between attempts. */
  retryMaxMs: number;
  /** LEDGER_WEBHOOK_TIMEOUT_MS: an attempt not answered by then has failed. */
  timeoutMs: number;
}

export function webhookSettings(env: NodeJS.ProcessEnv): WebhookSettings {
  return {
    retryBaseMs: whole(env, 'LEDGER_WEBHOOK_RETRY_BASE_MS', 1000, 10, 3_600_000),
    retryMaxMs: whole(env, 'LEDGER_WEBHOOK_RETRY_MAX_MS', 300_000, 10, 86_400_000),
    timeoutMs: whole(env, 'LEDGER_WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new ConfigError(name, `must be a whole number of milliseconds from ${min} to ${max} (got "${text}")`);
  return Number(text);
}
