import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { SignOffRow } from '../read-models/entities';
import { READ_MODELS } from '../read-models/read-models.token';
import { ReadModelStore } from '../read-models/read-model-data-source';
import { LedgerHistory } from '../settlement/queries/ledger-history';
import { ReplayLimiter } from '../settlement/queries/replay-limiter';
import { SettlementProjector } from '../settlement/read-models/settlement-projector';
import { SignOff } from './domain/statements.events';

/** Who has signed which statements of an alliance (of one period, when given): now from the read model, as at an instant from the ledger. */
export class GetSignOffs {
  constructor(
    readonly allianceId: string,
    readonly periodId?: string,
    readonly asAt?: Date,
  ) {}
}

@QueryHandler(GetSignOffs)
export class GetSignOffsHandler implements IQueryHandler<GetSignOffs, SignOffRow[]> {
  constructor(
    private readonly projector: SettlementProjector,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    private readonly history: LedgerHistory,
    private readonly replays: ReplayLimiter,
  ) {}

  async execute({ allianceId, periodId, asAt }: GetSignOffs): Promise<SignOffRow[]> {
    if (asAt) {
      const state = await this.replays.run(() => this.history.stateAsAt(allianceId, asAt));
      return Object.entries(state.signOffs ?? {})
        .filter(([signedPeriod]) => periodId === undefined || signedPeriod === periodId)
        .flatMap(([signedPeriod, byPartner]) => Object.entries(byPartner).map(([partnerId, signOff]) => ({ allianceId, periodId: signedPeriod, partnerId, ...signOff })))
        .sort((a, b) => compare(a.periodId, b.periodId) || compare(a.partnerId, b.partnerId));
    }
    await this.projector.waitUntilCurrent();
    return this.readModels.dataSource.manager.find(this.readModels.entities.SignOff, {
      where: periodId === undefined ? { allianceId } : { allianceId, periodId },
      order: { periodId: 'ASC', partnerId: 'ASC' },
    });
  }
}

export function signOffOfRow(row: SignOffRow): SignOff {
  return { status: row.status, by: row.by, at: row.at, reason: row.reason ?? null };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
