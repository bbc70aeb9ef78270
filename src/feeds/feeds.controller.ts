import { Body, Controller, Delete, Get, Inject, Param, Put, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, Caller } from '../access/route-access';
import { Principal } from '../access/identity/principal';
import { describeEvent, EventPage, ReadAllianceEvents } from '../audit/audit.queries';
import { EVENT_STORE, EventStore, formatPosition, Position } from '../event-store/event-store.port';
import { parseAfter, parseLimit } from '../http/query-params';
import { invalid } from '../shared/domain-error';
import { streamNames } from '../shared/stream-names';
import { WebhookRegistry } from './webhook-registry';

const HEARTBEAT_MS = 15_000;

@ApiTags('Feeds')
@Controller('alliances/:allianceId')
export class FeedsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly webhooks: WebhookRegistry,
  ) {}

  @Allow('read')
  @Get('feed')
  @ApiOperation({
    summary: 'The alliance’s events from a checkpoint, by position: a page (long-polled with wait=), or server-sent events with Accept: text/event-stream (resume with Last-Event-ID)',
  })
  @ApiQuery({ name: 'after', required: false, description: 'The checkpoint: events strictly after this position (a page’s `next`, an event’s `id:`)' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 100' })
  @ApiQuery({ name: 'wait', required: false, description: 'Seconds (0–30, default 0) to hold the request when nothing is newer than the checkpoint' })
  async feed(
    @Param('allianceId') allianceId: string,
    @Query('after') afterText: string | undefined,
    @Query('limit') limitText: string | undefined,
    @Query('wait') waitText: string | undefined,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const lastEventId = request.headers['last-event-id'];
    const after = parseAfter(typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : afterText);
    if ((request.headers.accept ?? '').includes('text/event-stream')) return this.stream(allianceId, after, response);
    const limit = parseLimit(limitText);
    const wait = parseWait(waitText);
    let page = await this.page(allianceId, after, limit);
    if (page.events.length === 0 && wait > 0 && (await this.waitForNewer(allianceId, after, wait * 1000, response.raw))) page = await this.page(allianceId, after, limit);
    const last = page.events[page.events.length - 1];
    response.send({ allianceId, events: page.events, next: last?.position ?? (after ? formatPosition(after) : null) });
  }

  @Allow('read-webhooks')
  @Get('webhooks')
  @ApiOperation({ summary: 'The alliance’s webhooks (without their secrets) and how many deliveries each has pending' })
  list(@Param('allianceId') allianceId: string) {
    return this.webhooks.list(allianceId);
  }

  @Allow('read-webhooks')
  @Get('webhook-deliveries')
  @ApiOperation({ summary: 'The delivery log, oldest first: each delivery and every attempt at it (status code or error, when, how long)' })
  @ApiQuery({ name: 'webhook', required: false, description: 'One webhook’s deliveries' })
  @ApiQuery({ name: 'limit', required: false, description: 'The newest N deliveries, 1–1000, default 100' })
  deliveries(@Param('allianceId') allianceId: string, @Query('webhook') webhookId: string | undefined, @Query('limit') limit: string | undefined) {
    return this.webhooks.log(allianceId, webhookId, parseLimit(limit));
  }

  @Allow('manage-webhooks')
  @Put('webhooks/:webhookId')
  @ApiOperation({ summary: 'Register (or change) a webhook: { url, events? }. The answer carries the signing secret, once, when it is registered' })
  register(@Param('allianceId') allianceId: string, @Param('webhookId') webhookId: string, @Body() body: unknown, @Caller() caller: Principal) {
    return this.webhooks.register(allianceId, webhookId, body, caller.subject);
  }

  @Allow('manage-webhooks')
  @Delete('webhooks/:webhookId')
  @ApiOperation({ summary: 'Remove a webhook; what it had not yet delivered is dropped, its delivery log stays' })
  remove(@Param('allianceId') allianceId: string, @Param('webhookId') webhookId: string) {
    return this.webhooks.remove(allianceId, webhookId);
  }

  private page(allianceId: string, after: Position | undefined, limit: number): Promise<EventPage> {
    return this.queries.execute(new ReadAllianceEvents(allianceId, { after, limit, order: 'oldest' }));
  }

  /** Resolves true when an event of the alliance newer than `after` is written, false at the timeout or when the client leaves. */
  private async waitForNewer(allianceId: string, after: Position | undefined, timeoutMs: number, response: ServerResponse): Promise<boolean> {
    const subscription = this.store.subscribeToAll({ fromPosition: after ?? 'start', filter: { streamNamePrefixes: [streamNames.alliancePrefix(allianceId)] } });
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      response.once('close', () => resolve(false));
    });
    try {
      const iterator = subscription[Symbol.asyncIterator]();
      return await Promise.race([iterator.next().then((next) => !next.done), gaveUp]);
    } finally {
      clearTimeout(timer);
      await subscription.stop();
    }
  }

  /** Server-sent events from the checkpoint, live, until the client leaves: `id:` is the position to resume from. */
  private async stream(allianceId: string, after: Position | undefined, reply: FastifyReply): Promise<void> {
    // The stream is written here, on the socket, until the client leaves: Fastify is told to stay out of it.
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, { ...(reply.getHeaders() as OutgoingHttpHeaders), 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    response.flushHeaders();
    const subscription = this.store.subscribeToAll({ fromPosition: after ?? 'start', filter: { streamNamePrefixes: [streamNames.alliancePrefix(allianceId)] } });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const leave = () => void subscription.stop();
    response.once('close', leave);
    response.write('retry: 1000\n\n');
    try {
      for await (const event of subscription) {
        const described = describeEvent(event);
        const data = JSON.stringify(described);
        if (!response.write(`id: ${described.position}\nevent: ${event.type}\ndata: ${data}\n\n`)) await new Promise((resolve) => response.once('drain', resolve));
        if (response.destroyed) break;
      }
    } catch {
      // The store went away mid-stream: end the stream; the client reconnects with Last-Event-ID.
    } finally {
      clearInterval(heartbeat);
      response.off('close', leave);
      await subscription.stop();
      if (!response.destroyed) response.end();
    }
  }
}

function parseWait(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d+$/.test(text) || Number(text) > 30) throw invalid('wait', 'must be a whole number of seconds from 0 to 30', 'invalid_query');
  return Number(text);
}
