import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { READ_MODELS } from '../../read-models/read-models.token';
import { ReadModelStore } from '../../read-models/read-model-data-source';
import { notFound } from '../../shared/domain-error';
import { PeriodExplanation } from '../domain/explanation';
import { LedgerState } from '../domain/ledger';
import { partnerStatement, PartnerStatement } from '../domain/partner-statement';
import { describePeriod, summarizePeriod } from '../domain/period-summary';
import { PeriodSummary } from '../domain/summary.types';
import { signOffOfRow } from '../../statements/sign-off.queries';
import { SignOff } from '../../statements/domain/statements.events';
import { SettlementProjector } from '../read-models/settlement-projector';
import { LedgerHistory } from './ledger-history';
import { ReplayLimiter } from './replay-limiter';
import { VersionedCache } from './versioned-cache';

export interface FigureOptions {
  /** The figures as they stood then, from the events recorded up to it. */
  asAt?: Date;
  /** Add the events each figure was computed from. */
  explain?: boolean;
}

export class GetPeriodSummary {
  constructor(
    readonly allianceId: string,
    readonly periodId: string,
    readonly options: FigureOptions = {},
  ) {}
}

export class GetPartnerStatement {
  constructor(
    readonly allianceId: string,
    readonly periodId: string,
    readonly partnerId: string,
    readonly options: FigureOptions = {},
  ) {}
}

export type Explained<T> = T & { explanation?: PeriodExplanation };

/** A statement as partners read it: the figures, and the partner's latest sign-off of them. */
export type SignedStatement = PartnerStatement & { signOff: SignOff | null };

abstract class FigureQueryHandler {
  private readonly answers = new VersionedCache<unknown>();

  constructor(
    protected readonly projector: SettlementProjector,
    @Inject(READ_MODELS) protected readonly readModels: ReadModelStore,
    protected readonly history: LedgerHistory,
    protected readonly replays: ReplayLimiter,
  ) {}

  /** The alliance's ledger replayed from its events, for the past and for explanations. */
  protected async replayed(allianceId: string, periodId: string, options: FigureOptions): Promise<{ state: LedgerState; explanation?: PeriodExplanation }> {
    if (!options.explain) {
      const state = await this.replays.run(() => this.history.stateAsAt(allianceId, options.asAt));
      return { state: found(state, allianceId, periodId, options) };
    }
    const explained = await this.replays.run(() => this.history.explainedAsAt(allianceId, periodId, options.asAt));
    return { state: found(explained.state, allianceId, periodId, options), explanation: explained.explanation };
  }

  /**
   * Read models serve the present, once every event written so far is in them. An answer is kept
   * under the alliance's read-model version (read before the rows), so while nothing changes a
   * read costs no query.
   */
  protected async present<Answer>(key: string, allianceId: string, read: () => Promise<Answer>): Promise<Answer> {
    await this.projector.waitUntilCurrent();
    return this.answers.get(`${allianceId}|${key}`, this.projector.readModelVersion(allianceId), read) as Promise<Answer>;
  }

  protected async current<Row>(find: () => Promise<Row | null>, allianceId: string, periodId: string): Promise<Row> {
    const row = await find();
    if (row) return row;
    const alliance = await this.readModels.dataSource.manager.findOne(this.readModels.entities.Alliance, { where: { allianceId } });
    throw alliance ? periodNotFound(periodId) : allianceNotFound(allianceId);
  }
}

@QueryHandler(GetPeriodSummary)
export class GetPeriodSummaryHandler extends FigureQueryHandler implements IQueryHandler<GetPeriodSummary, Explained<PeriodSummary>> {
  async execute({ allianceId, periodId, options }: GetPeriodSummary): Promise<Explained<PeriodSummary>> {
    if (options.asAt || options.explain) {
      const { state, explanation } = await this.replayed(allianceId, periodId, options);
      return { ...describePeriod(state, periodId)!, ...(explanation ? { explanation } : {}) };
    }
    return this.present(`summary|${periodId}`, allianceId, async () => {
      const { PeriodSummary } = this.readModels.entities;
      const row = await this.current(() => this.readModels.dataSource.manager.findOne(PeriodSummary, { where: { allianceId, periodId } }), allianceId, periodId);
      return row.document as PeriodSummary;
    });
  }
}

@QueryHandler(GetPartnerStatement)
export class GetPartnerStatementHandler extends FigureQueryHandler implements IQueryHandler<GetPartnerStatement, Explained<SignedStatement>> {
  async execute({ allianceId, periodId, partnerId, options }: GetPartnerStatement): Promise<Explained<SignedStatement>> {
    if (options.asAt || options.explain) {
      const { state, explanation } = await this.replayed(allianceId, periodId, options);
      const statement = partnerStatement(summarizePeriod(state, periodId)!, state.terms!, partnerId);
      if (!statement) throw partnerNotFound(allianceId, partnerId);
      const signOff = state.signOffs?.[periodId]?.[partnerId] ?? null;
      return { ...statement, signOff, ...(explanation ? { explanation } : {}) };
    }
    return this.present(`statement|${periodId}|${partnerId}`, allianceId, async () => {
      const { PartnerStatement } = this.readModels.entities;
      const row = await this.current(
        () => this.readModels.dataSource.manager.findOne(PartnerStatement, { where: { allianceId, periodId, partnerId } }),
        allianceId,
        periodId,
      ).catch(async (error) => {
        const period = await this.readModels.dataSource.manager.findOne(this.readModels.entities.PeriodSummary, { where: { allianceId, periodId } });
        throw period ? partnerNotFound(allianceId, partnerId) : error;
      });
      const signed = await this.readModels.dataSource.manager.findOne(this.readModels.entities.SignOff, { where: { allianceId, periodId, partnerId } });
      return { ...(row.document as PartnerStatement), signOff: signed ? signOffOfRow(signed) : null };
    });
  }
}

function found(state: LedgerState, allianceId: string, periodId: string, options: FigureOptions): LedgerState {
  if (!state.terms) throw allianceNotFound(allianceId, options.asAt);
  if (!state.periods.some((period) => period.periodId === periodId)) throw periodNotFound(periodId, options.asAt);
  return state;
}

function allianceNotFound(allianceId: string, asAt?: Date) {
  return notFound('alliance_not_found', 'allianceId', `alliance ${allianceId} ${asAt ? `had not been formed at ${asAt.toISOString()}` : 'has not been formed'}`);
}

function periodNotFound(periodId: string, asAt?: Date) {
  return notFound('period_not_found', 'periodId', `period ${periodId} ${asAt ? `had not been opened at ${asAt.toISOString()}` : 'has not been opened'}`);
}

function partnerNotFound(allianceId: string, partnerId: string) {
  return notFound('partner_not_found', 'partnerId', `${partnerId} is not a partner of alliance ${allianceId}`);
}
