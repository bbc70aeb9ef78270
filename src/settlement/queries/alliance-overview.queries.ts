import { AccessControl } from '../../access/access-control';
import { Principal } from '../../access/identity/principal';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AllianceRow, PeriodSummaryRow, SchemePositionRow, SignOffRow } from '../../read-models/entities';
import { READ_MODELS } from '../../read-models/read-models.token';
import { ReadModelStore } from '../../read-models/read-model-data-source';
import { notFound } from '../../shared/domain-error';
import { PendingCloseProposal, PeriodSummary } from '../domain/summary.types';
import { SettlementProjector } from '../read-models/settlement-projector';

/** The alliances `principal` holds a role in (every alliance for an administrator). */
export class ListAlliances {
  constructor(readonly principal: Principal) {}
}

export class GetAllianceOverview {
  constructor(readonly allianceId: string) {}
}

export interface AllianceOverview {
  alliance: AllianceRow;
  /** status `cancelled` for a period withdrawn; `closeProposal` while a close awaits approval. */
  periods: Array<Omit<PeriodSummaryRow, 'document'> & { closeProposal: PendingCloseProposal | null }>;
  schemes: SchemePositionRow[];
  /** Each partner's latest sign-off of each certified statement: who has acknowledged, who disputes. */
  signOffs: SignOffRow[];
}

@QueryHandler(ListAlliances)
export class ListAlliancesHandler implements IQueryHandler<ListAlliances, AllianceRow[]> {
  constructor(
    private readonly projector: SettlementProjector,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal }: ListAlliances): Promise<AllianceRow[]> {
    await this.projector.waitUntilCurrent();
    const rows = await this.readModels.dataSource.manager.find(this.readModels.entities.Alliance, { order: { allianceId: 'ASC' } });
    const visible = new Set(await this.access.visible(principal, rows.map((row) => row.allianceId)));
    return rows.filter((row) => visible.has(row.allianceId));
  }
}

/** An alliance's terms, its periods' headline figures and its schemes' positions. */
@QueryHandler(GetAllianceOverview)
export class GetAllianceOverviewHandler implements IQueryHandler<GetAllianceOverview, AllianceOverview> {
  constructor(
    private readonly projector: SettlementProjector,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
  ) {}

  async execute({ allianceId }: GetAllianceOverview): Promise<AllianceOverview> {
    await this.projector.waitUntilCurrent();
    const { manager } = this.readModels.dataSource;
    const { Alliance, PeriodSummary, SchemePosition, SignOff } = this.readModels.entities;
    const alliance = await manager.findOne(Alliance, { where: { allianceId } });
    if (!alliance) throw notFound('alliance_not_found', 'allianceId', `alliance ${allianceId} has not been formed`);
    const periods = await manager.find(PeriodSummary, { where: { allianceId }, order: { sequence: 'ASC' } });
    const schemes = await manager.find(SchemePosition, { where: { allianceId }, order: { schemeId: 'ASC' } });
    const signOffs = await manager.find(SignOff, { where: { allianceId }, order: { periodId: 'ASC', partnerId: 'ASC' } });
    return {
      alliance,
      periods: periods.map(({ document, ...headline }) => ({ ...headline, closeProposal: (document as PeriodSummary).closeProposal ?? null })),
      schemes,
      signOffs,
    };
  }
}
