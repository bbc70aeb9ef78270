import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { READ_MODELS } from '../read-models/read-models.token';
import { ReadModelStore } from '../read-models/read-model-data-source';
import { Clock, CLOCK } from '../shared/clock';
import { invalid, invalidFields, notFound, FieldError } from '../shared/domain-error';
import { AttemptRow, DeliveryRow, WebhookRow } from './webhook-tables';
import { WEBHOOK_EVENT_TYPES } from './webhook-rules';

const WEBHOOK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface WebhookView {
  allianceId: string;
  webhookId: string;
  url: string;
  events: string[];
  createdBy: string;
  createdAt: string;
  /** Deliveries not yet acknowledged by the receiver, and the oldest one's attempts so far. */
  pending: number;
}

/** Registering a webhook answers its secret, once; listing it never does. */
export type RegisteredWebhook = WebhookView & { secret?: string; outcome: 'registered' | 'updated' };

export interface DeliveryLogEntry {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  position: string;
  status: DeliveryRow['status'];
  attempts: Array<Pick<AttemptRow, 'attempt' | 'at' | 'statusCode' | 'error' | 'durationMs'>>;
  deliveredAt: string | null;
}

/** Webhooks of an alliance: registered, changed, removed, and their delivery log. */
@Injectable()
export class WebhookRegistry {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private get webhooks() {
    return this.readModels.dataSource.getRepository<WebhookRow>('FeedWebhook');
  }

  private get deliveries() {
    return this.readModels.dataSource.getRepository<DeliveryRow>('FeedWebhookDelivery');
  }

  async register(allianceId: string, webhookId: string, body: unknown, actor: string): Promise<RegisteredWebhook> {
    if (!WEBHOOK_ID.test(webhookId)) throw invalid('webhookId', 'must be 1–64 letters, digits, "-" or "_", starting with a letter or digit');
    const { url, events } = parseRegistration(body);
    const existing = await this.webhooks.findOneBy({ allianceId, webhookId });
    const row: WebhookRow = existing
      ? { ...existing, url, eventTypes: events.join(',') }
      : { allianceId, webhookId, url, eventTypes: events.join(','), secret: randomBytes(32).toString('base64url'), createdBy: actor, createdAt: this.clock.now().toISOString() };
    await this.webhooks.save(row);
    const view = await this.view(row);
    return existing ? { ...view, outcome: 'updated' } : { ...view, secret: row.secret, outcome: 'registered' };
  }

  async list(allianceId: string): Promise<WebhookView[]> {
    const rows = await this.webhooks.find({ where: { allianceId }, order: { webhookId: 'ASC' } });
    return Promise.all(rows.map((row) => this.view(row)));
  }

  /** Removes the webhook and drops what it had not yet delivered; the log of past attempts stays. */
  async remove(allianceId: string, webhookId: string): Promise<{ allianceId: string; webhookId: string; removed: true }> {
    await this.readModels.dataSource.transaction(async (manager) => {
      const found = await manager.findOneBy<WebhookRow>('FeedWebhook', { allianceId, webhookId });
      if (!found) throw notFound('webhook_not_found', 'webhookId', `alliance ${allianceId} has no webhook ${webhookId}`);
      await manager.delete<WebhookRow>('FeedWebhook', { allianceId, webhookId });
      await manager.delete<DeliveryRow>('FeedWebhookDelivery', { allianceId, webhookId, status: 'pending' });
    });
    return { allianceId, webhookId, removed: true };
  }

  /** The delivery log, oldest first: each delivery with every attempt made. */
  async log(allianceId: string, webhookId: string | undefined, limit: number): Promise<DeliveryLogEntry[]> {
    const deliveries = await this.deliveries.find({ where: { allianceId, ...(webhookId ? { webhookId } : {}) }, order: { seq: 'DESC' }, take: limit });
    deliveries.reverse();
    if (deliveries.length === 0) return [];
    const attempts = await this.readModels.dataSource
      .getRepository<AttemptRow>('FeedWebhookAttempt')
      .createQueryBuilder('attempt')
      .where('attempt.allianceId = :allianceId', { allianceId })
      .andWhere('attempt.deliveryId IN (:...ids)', { ids: deliveries.map((delivery) => delivery.deliveryId) })
      .orderBy('attempt.seq', 'ASC')
      .getMany();
    return deliveries.map((delivery) => ({
      deliveryId: delivery.deliveryId,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      position: delivery.position,
      status: delivery.status,
      attempts: attempts
        .filter((attempt) => attempt.deliveryId === delivery.deliveryId)
        .map(({ attempt, at, statusCode, error, durationMs }) => ({ attempt, at, statusCode, error, durationMs })),
      deliveredAt: delivery.deliveredAt,
    }));
  }

  private async view(row: WebhookRow): Promise<WebhookView> {
    const pending = await this.deliveries.countBy({ allianceId: row.allianceId, webhookId: row.webhookId, status: 'pending' });
    return { allianceId: row.allianceId, webhookId: row.webhookId, url: row.url, events: row.eventTypes.split(','), createdBy: row.createdBy, createdAt: row.createdAt, pending };
  }
}

function parseRegistration(body: unknown): { url: string; events: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', 'must be a JSON object { url, events? }');
  const errors: FieldError[] = [];
  const { url, events, ...rest } = body as Record<string, unknown>;
  for (const field of Object.keys(rest)) if (field !== 'allianceId' && field !== 'webhookId') errors.push({ field, reason: 'is not a field of this request' });
  let parsed: URL | undefined;
  if (typeof url !== 'string') errors.push({ field: 'url', reason: 'is required' });
  else if (url.length > 2000) errors.push({ field: 'url', reason: 'must be at most 2000 characters' });
  else {
    try {
      parsed = new URL(url);
    } catch {
      errors.push({ field: 'url', reason: 'must be an absolute http or https URL' });
    }
    if (parsed && !['http:', 'https:'].includes(parsed.protocol)) errors.push({ field: 'url', reason: 'must be an absolute http or https URL' });
    if (parsed && (parsed.username || parsed.password)) errors.push({ field: 'url', reason: 'must not carry credentials; deliveries are signed with the secret instead' });
  }
  const chosen = events === undefined ? [...WEBHOOK_EVENT_TYPES] : events;
  if (!Array.isArray(chosen) || chosen.length === 0 || chosen.some((type) => !(WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(type))) {
    errors.push({ field: 'events', reason: `must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}` });
  }
  if (errors.length > 0) throw invalidFields(errors, 'invalid_webhook');
  return { url: parsed!.toString(), events: [...new Set(chosen as string[])] };
}
