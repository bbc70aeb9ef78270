import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EVENT_STORE, EventStore, formatPosition, parsePosition, Position, StoredEvent, Subscription } from '../event-store/event-store.port';
import { READ_MODELS } from '../read-models/read-models.token';
import { ReadModelStore } from '../read-models/read-model-data-source';
import { describeEvent } from '../audit/event-history';
import { Clock, CLOCK } from '../shared/clock';
import { allianceOfStream, LEDGER_PREFIX } from '../shared/stream-names';
import { DeliveryRow, WebhookRow } from './webhook-tables';
import { WEBHOOK_EVENT_TYPES } from './webhook-rules';

export const WEBHOOK_CHECKPOINT = 'webhooks';

class OutboxCheckpointMoved extends Error {}

/** What a receiver is sent: the event as the feed shows it, and which delivery this is. */
export function deliveryPayload(deliveryId: string, webhookId: string, event: StoredEvent): string {
  // Without the store's own `created`: receivers have always been sent the recorded metadata only.
  const { created, ...shown } = describeEvent(event);
  return JSON.stringify({
    deliveryId,
    webhookId,
    allianceId: allianceOfStream(event.streamName),
    event: shown,
  });
}

/** One event's delivery to one webhook always has the same id, so a receiver can drop repeats. */
export function deliveryIdFor(webhookId: string, eventId: string): string {
  const hex = createHash('sha256').update(`${webhookId}\u0000${eventId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Follows the log from its own checkpoint and, for each event a webhook is registered for, writes
 * a pending delivery to the outbox in the same transaction as the checkpoint (moved by
 * compare-and-set), so an event is queued once per webhook, in log order, whatever crashes.
 * Only events recorded at or after a webhook's registration are queued for it.
 */
@Injectable()
export class WebhookOutbox {
  private readonly logger = new Logger(WebhookOutbox.name);
  private running = false;
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private wakeRetry: (() => void) | undefined;
  onQueued: () => void = () => undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeRetry?.();
    await this.subscription?.stop();
    await this.loop;
  }

  private async follow(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        let checkpoint = await this.checkpoint();
        this.subscription = this.store.subscribeToAll({ fromPosition: checkpoint ?? 'start', filter: { streamNamePrefixes: [LEDGER_PREFIX], eventTypes: [...WEBHOOK_EVENT_TYPES] } });
        for await (const event of this.subscription) {
          if (!this.running) break;
          await this.queue(event, checkpoint);
          checkpoint = event.position;
          failures = 0;
          this.onQueued();
        }
      } catch (error) {
        if (!this.running) break;
        failures += 1;
        if (!(error instanceof OutboxCheckpointMoved)) this.logger.warn(`Webhook outbox stopped (${(error as Error).message}); resuming from its checkpoint`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(100 * 2 ** failures, 30_000));
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      } finally {
        await this.subscription?.stop();
      }
    }
  }

  private async checkpoint(): Promise<Position | null> {
    const row = await this.readModels.dataSource.manager.findOne(this.readModels.entities.Checkpoint, { where: { name: WEBHOOK_CHECKPOINT } });
    return row?.position ? parsePosition(row.position) : null;
  }

  private async queue(event: StoredEvent, from: Position | null): Promise<void> {
    const allianceId = allianceOfStream(event.streamName);
    const recordedAt = typeof event.metadata.recordedAt === 'string' ? event.metadata.recordedAt : event.created.toISOString();
    await this.readModels.dataSource.transaction(async (manager) => {
      const webhooks = allianceId ? await manager.findBy<WebhookRow>('FeedWebhook', { allianceId }) : [];
      const now = this.clock.now().toISOString();
      const rows: DeliveryRow[] = webhooks
        .filter((webhook) => webhook.eventTypes.split(',').includes(event.type) && webhook.createdAt <= recordedAt)
        .map((webhook) => {
          const deliveryId = deliveryIdFor(webhook.webhookId, event.id);
          return {
            deliveryId,
            allianceId: webhook.allianceId,
            webhookId: webhook.webhookId,
            eventId: event.id,
            eventType: event.type,
            position: formatPosition(event.position),
            payload: deliveryPayload(deliveryId, webhook.webhookId, event),
            status: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            deliveredAt: null,
            createdAt: now,
          };
        });
      for (const row of rows) await manager.insert<DeliveryRow>('FeedWebhookDelivery', row);
      await this.moveCheckpoint(manager, from, event.position);
    });
  }

  private async moveCheckpoint(manager: EntityManager, from: Position | null, to: Position): Promise<void> {
    const { Checkpoint } = this.readModels.entities;
    await manager.createQueryBuilder().insert().into(Checkpoint).values({ name: WEBHOOK_CHECKPOINT, position: null, updatedAt: new Date(0).toISOString() }).orIgnore().execute();
    const query = manager
      .createQueryBuilder()
      .update(Checkpoint)
      .set({ position: formatPosition(to), updatedAt: this.clock.now().toISOString() })
      .where('name = :name', { name: WEBHOOK_CHECKPOINT });
    if (from) query.andWhere('position = :from', { from: formatPosition(from) });
    else query.andWhere('position IS NULL');
    if ((await query.execute()).affected !== 1) throw new OutboxCheckpointMoved('another instance moved the webhook checkpoint');
  }
}
