import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_MODELS } from '../read-models/read-models.token';
import { ReadModelStore } from '../read-models/read-model-data-source';
import { LedgerState } from '../settlement/domain/ledger';
import { SettlementProjector } from '../settlement/read-models/settlement-projector';
import { parseWithBigints } from '../shared/bigint-json';
import { allianceOfStream } from '../shared/stream-names';
import { benchmarkAlliance } from './benchmark-figures';
import { DataQualityFlag, EventFacts } from './data-quality';

/** One alliance's data-quality flags, by year: what its alliance page shows. */
export class GetDataQuality {
  constructor(readonly allianceId: string) {}
}

export type DataQuality = Array<{ year: string; flags: DataQualityFlag[] }>;

const FACT_TYPES = ['KpiMeasurementRecorded', 'SafetyIncidentReported'];

/** Reads the facts the flags need that the ledger's fold does not keep, for the streams under `prefix`. */
export async function readEventFacts(store: EventStore, prefix: string): Promise<Map<string, EventFacts>> {
  const facts = new Map<string, EventFacts>();
  for await (const event of store.readAll({ filter: { streamNamePrefixes: [prefix], eventTypes: FACT_TYPES } })) {
    const allianceId = allianceOfStream(event.streamName);
    if (!allianceId) continue;
    const entry = facts.get(allianceId) ?? { measurementChanges: [], incidentsWithoutPartner: [] };
    facts.set(allianceId, entry);
    const data = event.data as { periodId: string; kpiId?: string; previousValue?: string | null; incidentId?: string; partnerId?: string | null };
    if (event.type === 'KpiMeasurementRecorded' && data.previousValue !== null && data.previousValue !== undefined) entry.measurementChanges.push({ periodId: data.periodId, kpiId: data.kpiId! });
    if (event.type === 'SafetyIncidentReported' && !data.partnerId) entry.incidentsWithoutPartner.push({ periodId: data.periodId, incidentId: data.incidentId! });
  }
  return facts;
}

@QueryHandler(GetDataQuality)
export class GetDataQualityHandler implements IQueryHandler<GetDataQuality, DataQuality> {
  constructor(
    private readonly projector: SettlementProjector,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ allianceId }: GetDataQuality): Promise<DataQuality> {
    await this.projector.waitUntilCurrent();
    const row = await this.readModels.dataSource.manager.findOne(this.readModels.entities.LedgerState, { where: { allianceId } });
    if (!row) return [];
    const facts = await readEventFacts(this.store, `ledger.${allianceId}.`);
    const { years } = benchmarkAlliance(parseWithBigints<LedgerState>(row.state), facts.get(allianceId) ?? { measurementChanges: [], incidentsWithoutPartner: [] });
    return years.map(({ year, flags }) => ({ year, flags }));
  }
}
