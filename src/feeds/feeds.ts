import { Injectable } from '@nestjs/common';
import { FeedsController } from './feeds.controller';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookRegistry } from './webhook-registry';
import { WebhookSender } from './webhook-sender';

/** The outbox and its sender run together with the service (not in the CLI). */
@Injectable()
export class Webhooks {
  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly sender: WebhookSender,
  ) {
    outbox.onQueued = () => sender.poke();
  }

  start(): void {
    this.outbox.start();
    this.sender.start();
  }

  async stop(): Promise<void> {
    await this.outbox.stop();
    await this.sender.stop();
  }
}

export const FEEDS_CONTROLLERS = [FeedsController];
export const FEEDS_PROVIDERS = [WebhookRegistry, WebhookOutbox, WebhookSender, Webhooks];
