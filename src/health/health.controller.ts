import { Public } from '../access/route-access';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_MODELS } from '../read-models/read-models.token';
import { ReadModelStore } from '../read-models/read-model-data-source';
import { ProjectionStatus, ReadModelFreshness, SettlementProjector } from '../settlement/read-models/settlement-projector';

interface Part {
  status: 'up' | 'down';
  kind: string;
  error?: string;
}

export interface HealthReport {
  /** unavailable (503): a store is down. degraded (200): both answer, but the projection is stuck on an event. */
  status: 'ok' | 'degraded' | 'unavailable';
  message: string;
  eventStore: Part;
  readModels: Part;
  projection: ProjectionStatus & { freshness: ReadModelFreshness };
}

const PROBE_TIMEOUT_MS = 2000;

@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    private readonly projector: SettlementProjector,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: '200 `ok` when the event store and the read-model database answer and the projection keeps up; 200 `degraded` naming the event the projection is stuck on; 503 naming the part that is down',
  })
  async check(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthReport> {
    const [eventStore, readModels, freshness] = await Promise.all([
      probe(this.store.kind, () => this.store.ping()),
      probe(this.readModels.dialect, () => this.readModels.dataSource.query('SELECT 1')),
      this.projector.freshness(),
    ]);
    const projection = { ...this.projector.status(), freshness };
    const down = [eventStore.status === 'down' ? 'event store' : null, readModels.status === 'down' ? 'read-model database' : null].filter(Boolean);
    response.code(down.length ? 503 : 200);
    if (down.length) return { status: 'unavailable', message: `${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} down`, eventStore, readModels, projection };
    const { failure } = projection;
    if (failure) {
      const where = failure.event ? `at ${failure.event.type} ${failure.event.streamName}@${failure.event.revision} (position ${failure.event.position})` : 'reading the event store';
      const message = `the settlement projection is failing ${where}: ${failure.error}; read models are ${freshness.lagSeconds ?? '?'} s behind, retrying`;
      return { status: 'degraded', message, eventStore, readModels, projection };
    }
    return { status: 'ok', message: 'event store and read-model database are up', eventStore, readModels, projection };
  }
}

async function probe(kind: string, check: () => Promise<unknown>): Promise<Part> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', kind };
  } catch (error) {
    return { status: 'down', kind, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
