import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { AllianceConfiguration, GetAllianceTerms } from '../../alliance/alliance-terms.query';
import { derivePeriod, PeriodDerivation } from '../domain/derivation';
import { PeriodSummary } from '../domain/summary.types';
import { GetPeriodSummary } from './settlement.queries';

/** How a period's figures follow from the terms, step by step (see derivation.ts); `asAt` as for the summary. */
export class GetPeriodDerivation {
  constructor(
    readonly allianceId: string,
    readonly periodId: string,
    readonly asAt?: Date,
  ) {}
}

export type DerivedPeriod = { summary: PeriodSummary; derivation: PeriodDerivation } & AllianceConfiguration;

/**
 * The summary (read models for the present, a replay for the past) and the terms from the
 * alliance's stream: no replay for the present, so a statement page answers as fast as the summary.
 */
@QueryHandler(GetPeriodDerivation)
export class GetPeriodDerivationHandler implements IQueryHandler<GetPeriodDerivation, DerivedPeriod> {
  constructor(private readonly queries: QueryBus) {}

  async execute({ allianceId, periodId, asAt }: GetPeriodDerivation): Promise<DerivedPeriod> {
    const configuration: AllianceConfiguration = await this.queries.execute(new GetAllianceTerms(allianceId, asAt));
    const summary: PeriodSummary = await this.queries.execute(new GetPeriodSummary(allianceId, periodId, { asAt }));
    return { summary, ...configuration, derivation: derivePeriod(summary, configuration.terms, configuration.kpis) };
  }
}
