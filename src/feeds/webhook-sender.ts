import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { READ_MODELS } from '../read-models/read-models.token';
import { ReadModelStore } from '../read-models/read-model-data-source';
import { Clock, CLOCK } from '../shared/clock';
import { AttemptRow, DeliveryRow, WebhookRow } from './webhook-tables';
import { retryDelayMs, signDelivery } from './webhook-rules';

/** How many pending deliveries one round looks at; each webhook's oldest is among them. */
const ROUND = 1000;

/**
 * Sends the outbox: each webhook's oldest pending delivery, and nothing after it until the
 * receiver answers it with a 2xx — so deliveries arrive in order, and at least once (a delivery is
 * marked delivered only after its answer; a crash in between sends it again, with the same
 * `deliveryId`). Failures are retried with doubling back-off, for as long as the webhook exists;
 * every attempt is logged. Webhooks wait on each other never: each has its own head.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private woken = false;
  private readonly inFlight = new AbortController();

  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something was queued: look now rather than at the next retry. */
  poke(): void {
    this.woken = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.inFlight.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let waitMs = 60_000;
      try {
        this.woken = false;
        waitMs = await this.round();
      } catch (error) {
        if (!this.running) break;
        this.logger.warn(`Webhook delivery round failed: ${(error as Error).message}`);
        waitMs = 1000;
      }
      if (!this.running || this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(waitMs, 0));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Attempts every due head; answers how long until the next one is due. */
  private async round(): Promise<number> {
    const pending = await this.readModels.dataSource.getRepository<DeliveryRow>('FeedWebhookDelivery').find({ where: { status: 'pending' }, order: { seq: 'ASC' }, take: ROUND });
    const heads = new Map<string, DeliveryRow>();
    for (const delivery of pending) {
      const key = JSON.stringify([delivery.allianceId, delivery.webhookId]);
      if (!heads.has(key)) heads.set(key, delivery);
    }
    const now = this.clock.now().getTime();
    const due = [...heads.values()].filter((head) => Date.parse(head.nextAttemptAt) <= now);
    await Promise.all(due.map((head) => this.attempt(head)));
    if (due.length > 0) return 0;
    const next = Math.min(...[...heads.values()].map((head) => Date.parse(head.nextAttemptAt)));
    return Number.isFinite(next) ? next - now : 60_000;
  }

  private async attempt(delivery: DeliveryRow): Promise<void> {
    const manager = this.readModels.dataSource.manager;
    const webhook = await manager.findOneBy<WebhookRow>('FeedWebhook', { allianceId: delivery.allianceId, webhookId: delivery.webhookId });
    if (!webhook) return;
    const { retryBaseMs, retryMaxMs, timeoutMs } = this.config.webhooks;
    // Claim the attempt, so another instance sharing the outbox does not send the same head at once.
    const lease = new Date(this.clock.now().getTime() + timeoutMs + 1000).toISOString();
    const claimed = await manager
      .createQueryBuilder()
      .update('FeedWebhookDelivery')
      .set({ nextAttemptAt: lease })
      .where('seq = :seq AND status = :status AND next_attempt_at = :was', { seq: delivery.seq, status: 'pending', was: delivery.nextAttemptAt })
      .execute();
    if (claimed.affected !== 1) return;

    const attempt = delivery.attempts + 1;
    const started = this.clock.now();
    const timestamp = Math.floor(started.getTime() / 1000);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const answer = await fetch(webhook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.inFlight.signal]),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'alliance-ledger-webhooks',
          'X-Ledger-Delivery': delivery.deliveryId,
          'X-Ledger-Event': delivery.eventType,
          'X-Ledger-Attempt': String(attempt),
          'X-Ledger-Timestamp': String(timestamp),
          'X-Ledger-Signature': signDelivery(webhook.secret, timestamp, delivery.payload),
        },
        body: delivery.payload,
      });
      statusCode = answer.status;
      await answer.body?.cancel();
      if (statusCode < 200 || statusCode > 299) error = `answered ${statusCode}`;
    } catch (failure) {
      error = describeFailure(failure);
    }
    const finished = this.clock.now();
    const delivered = error === null;
    await this.readModels.dataSource.transaction(async (tx) => {
      await tx.insert<AttemptRow>('FeedWebhookAttempt', {
        deliveryId: delivery.deliveryId,
        allianceId: delivery.allianceId,
        webhookId: delivery.webhookId,
        attempt,
        at: started.toISOString(),
        statusCode,
        error,
        durationMs: finished.getTime() - started.getTime(),
      });
      await tx.update<DeliveryRow>(
        'FeedWebhookDelivery',
        { seq: delivery.seq },
        delivered
          ? { status: 'delivered', attempts: attempt, deliveredAt: finished.toISOString() }
          : { attempts: attempt, nextAttemptAt: new Date(finished.getTime() + retryDelayMs(attempt, retryBaseMs, retryMaxMs, Math.random())).toISOString() },
      );
    });
    if (!delivered) this.logger.warn(`Webhook ${delivery.allianceId}/${delivery.webhookId}: delivery ${delivery.deliveryId} attempt ${attempt} failed: ${error}`);
  }
}

function describeFailure(failure: unknown): string {
  const error = failure as Error & { cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError') return 'timed out';
  if (error.name === 'AbortError') return 'stopped';
  return error.cause?.code ?? error.cause?.message ?? error.message ?? String(failure);
}
