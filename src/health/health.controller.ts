import { Public } from '../access/route-access';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_MODELS } from '../read-models/read-models.token';
import { ReadModelStore } from '../read-models/read-model-data-source';
import { ProjectionStatus, SettlementProjector } from '../settlement/read-models/settlement-projector';

interface Part {
  status: 'up' | 'down';
  kind: string;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  message: string;
  eventStore: Part;
  readModels: Part;
  projection: ProjectionStatus;
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
  @ApiOperation({ summary: '200 when the event store and the read-model database answer; 503 naming the part that does not' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const [eventStore, readModels] = await Promise.all([
      probe(this.store.kind, () => this.store.ping()),
      probe(this.readModels.dialect, () => this.readModels.dataSource.query('SELECT 1')),
    ]);
    const down = [eventStore.status === 'down' ? 'event store' : null, readModels.status === 'down' ? 'read-model database' : null].filter(Boolean);
    response.status(down.length ? 503 : 200);
    return {
      status: down.length ? 'unavailable' : 'ok',
      message: down.length ? `${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} down` : 'event store and read-model database are up',
      eventStore,
      readModels,
      projection: this.projector.status(),
    };
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
