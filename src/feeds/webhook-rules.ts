import { createHmac, timingSafeEqual } from 'node:crypto';

/** The ledger events a webhook can be told of: a period's close and its steps, and partners' sign-offs. */
export const WEBHOOK_EVENT_TYPES = [
  'PeriodClosed',
  'PeriodCloseProposed',
  'PeriodCloseRejected',
  'PeriodCancelled',
  'StatementAcknowledged',
  'StatementDisputed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The signature a receiver checks: HMAC-SHA256 under the webhook's secret over
 * `{timestamp}.{body}`, hex, sent as `X-Ledger-Signature: sha256=…` beside `X-Ledger-Timestamp`.
 * The timestamp is signed so a receiver can refuse old replays.
 */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyDelivery(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signDelivery(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * How long to wait before attempt `attempt + 1` after `attempt` failed ones: doubling from
 * `baseMs`, at most `maxMs`, with up to a fifth taken off at random (`jitter` in [0, 1)) so
 * instances retrying one receiver spread out.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number, jitter: number): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  const delay = Math.min(baseMs * 2 ** exponent, maxMs);
  return Math.round(delay * (1 - jitter / 5));
}
