import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { recordedAt } from '../settlement/queries/ledger-history';
import { notFound } from '../shared/domain-error';
import { streamNames } from '../shared/stream-names';
import { AllianceTerms, KpiDefinition, StoredAllianceFormed, upcastAllianceTerms, upcastKpiDefinition } from './domain/alliance.events';

/** The alliance's terms and KPI definitions, as they stood at `asAt` (now when absent). */
export class GetAllianceTerms {
  constructor(
    readonly allianceId: string,
    readonly asAt?: Date,
  ) {}
}

export interface AllianceConfiguration {
  terms: AllianceTerms;
  kpis: KpiDefinition[];
}

/** Read from the alliance's own small stream, so it costs the same at a million events as at ten. */
@QueryHandler(GetAllianceTerms)
export class GetAllianceTermsHandler implements IQueryHandler<GetAllianceTerms, AllianceConfiguration> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ allianceId, asAt }: GetAllianceTerms): Promise<AllianceConfiguration> {
    let terms: AllianceTerms | null = null;
    const kpis = new Map<string, KpiDefinition>();
    for await (const event of this.store.readStream(streamNames.alliance(allianceId))) {
      if (asAt && recordedAt(event) > asAt.getTime()) break;
      if (event.type === 'AllianceFormed') terms = upcastAllianceTerms(event.data as StoredAllianceFormed['data']);
      if (event.type === 'KpiDefined') {
        const kpi = upcastKpiDefinition(event.data as KpiDefinition);
        kpis.set(kpi.kpiId, kpi);
      }
    }
    if (!terms) throw notFound('alliance_not_found', 'allianceId', `alliance ${allianceId} has not been formed`);
    return { terms, kpis: [...kpis.values()] };
  }
}
