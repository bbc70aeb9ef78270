import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { SignOffRow } from '../read-models/entities';
import { READ_MODELS } from '../read-models/read-models.token';
import { ReadModelStore } from '../read-models/read-model-data-source';
import { SettlementProjector } from '../settlement/read-models/settlement-projector';
import { SignOff } from './domain/statements.events';

/** Who has signed which statements of an alliance (of one period, when given), from the read model. */
export class GetSignOffs {
  constructor(
    readonly allianceId: string,
    readonly periodId?: string,
  ) {}
}

@QueryHandler(GetSignOffs)
export class GetSignOffsHandler implements IQueryHandler<GetSignOffs, SignOffRow[]> {
  constructor(
    private readonly projector: SettlementProjector,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
  ) {}

  async execute({ allianceId, periodId }: GetSignOffs): Promise<SignOffRow[]> {
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
