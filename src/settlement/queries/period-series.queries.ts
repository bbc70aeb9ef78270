import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { READ_MODELS } from '../../read-models/read-models.token';
import { ReadModelStore } from '../../read-models/read-model-data-source';
import { describePeriod } from '../domain/period-summary';
import { PeriodSummary } from '../domain/summary.types';
import { SettlementProjector } from '../read-models/settlement-projector';
import { LedgerHistory } from './ledger-history';
import { ReplayLimiter } from './replay-limiter';

/** Every period's summary, in order: from the read models, or with `asAt` from one replay of the history. */
export class GetPeriodSeries {
  constructor(
    readonly allianceId: string,
    readonly asAt?: Date,
  ) {}
}

export type PeriodSeries = Array<PeriodSummary & { startDate: string; endDate: string }>;

/** What the dashboards chart and the summary exports list: one replay for the past, never one per period. */
@QueryHandler(GetPeriodSeries)
export class GetPeriodSeriesHandler implements IQueryHandler<GetPeriodSeries, PeriodSeries> {
  constructor(
    private readonly projector: SettlementProjector,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    private readonly history: LedgerHistory,
    private readonly replays: ReplayLimiter,
  ) {}

  async execute({ allianceId, asAt }: GetPeriodSeries): Promise<PeriodSeries> {
    if (asAt) {
      const { state } = await this.replays.run(() => this.history.replay(allianceId, '', { asAt }));
      return state.periods.map((period) => ({ ...describePeriod(state, period.periodId)!, startDate: period.startDate, endDate: period.endDate }));
    }
    await this.projector.waitUntilCurrent();
    const rows = await this.readModels.dataSource.manager.find(this.readModels.entities.PeriodSummary, { where: { allianceId }, order: { sequence: 'ASC' } });
    return rows.map((row) => ({ ...(row.document as PeriodSummary), status: row.status as PeriodSummary['status'], startDate: row.startDate, endDate: row.endDate }));
  }
}
