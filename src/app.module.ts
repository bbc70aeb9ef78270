import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LedgerLog } from './http/request-log';
import { AccessControl } from './access/access-control';
import { AccessController } from './access/access.controller';
import { AccessGuard } from './access/access.guard';
import { GetAccessListHandler } from './access/access-list.query';
import { AUTHENTICATOR } from './access/identity/authenticator';
import { IDENTITY, Identity, openIdentity } from './access/identity/identity';
import { SignInController } from './access/sign-in/sign-in.controller';
import { AllianceController } from './alliance/alliance.controller';
import { AuditController } from './audit/audit.controller';
import { CheckPeriodCertificateHandler, ReadAllianceEventsHandler } from './audit/audit.queries';
import { CommandCatalogue } from './commanding/command-catalogue';
import { COMMAND_SERVICES, CommandExecutor } from './commanding/command-executor';
import { LedgerCommandHandler } from './commanding/ledger-command';
import { StreamCache } from './commanding/stream-cache';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { createEventStore } from './event-store/event-store.factory';
import { EVENT_STORE, EventStore } from './event-store/event-store.port';
import { HealthController } from './health/health.controller';
import { ConditionalGet } from './http/conditional-get';
import { DomainErrorFilter } from './http/domain-error.filter';
import { ImportCommandsHandler } from './imports/import-commands';
import { ImportsController } from './imports/imports.controller';
import { PORTAL_CONTROLLERS, PORTAL_PROVIDERS } from './pages/portal';
import { GetAllianceTermsHandler } from './alliance/alliance-terms.query';
import { GetSchemeDetailHandler } from './schemes/scheme-detail.query';
import { GetPeriodDerivationHandler } from './settlement/queries/derivation.queries';
import { GetPeriodSeriesHandler } from './settlement/queries/period-series.queries';
import { INTEGRITY_CONTROLLERS, INTEGRITY_PROVIDERS } from './integrity/integrity.providers';
import { MeasurementsController } from './performance/measurements.controller';
import { PeriodsController } from './periods/periods.controller';
import { READ_MODELS } from './read-models/read-models.token';
import { openReadModels, ReadModelStore } from './read-models/read-model-data-source';
import { SafetyController } from './safety/safety.controller';
import { SchemesController } from './schemes/schemes.controller';
import { GetAllianceOverviewHandler, ListAlliancesHandler } from './settlement/queries/alliance-overview.queries';
import { LedgerHistory } from './settlement/queries/ledger-history';
import { ReplayLimiter } from './settlement/queries/replay-limiter';
import { GetPartnerStatementHandler, GetPeriodSummaryHandler } from './settlement/queries/settlement.queries';
import { SettlementProjector } from './settlement/read-models/settlement-projector';
import { SettlementController } from './settlement/settlement.controller';
import { GetSignOffsHandler } from './statements/sign-off.queries';
import { StatementsController } from './statements/statements.controller';
import { CLOCK, systemClock } from './shared/clock';
import { FEEDS_CONTROLLERS, FEEDS_PROVIDERS, Webhooks } from './feeds/feeds';
import { BENCHMARKING_CONTROLLERS, BENCHMARKING_PROVIDERS } from './benchmarking/benchmarking';

export interface AppOptions {
  /** Follow the event store live (the service); the CLI catches up on demand instead. */
  liveProjection: boolean;
  /** Where logs go: stdout for the service, stderr for the CLI so its stdout stays JSON. */
  logTo?: 'stdout' | 'stderr';
}

export const APP_OPTIONS = Symbol('AppOptions');

/** Starts the projector with the application and stops it before the stores close. */
@Injectable()
class Lifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(APP_OPTIONS) private readonly options: AppOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    @Inject(IDENTITY) private readonly identity: Identity,
    private readonly projector: SettlementProjector,
    private readonly webhooks: Webhooks,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.liveProjection) this.projector.start();
    if (this.options.liveProjection) this.webhooks.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.webhooks.stop();
    await this.projector.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.identity.close();
    await this.store.close();
    await this.readModels.dataSource.destroy();
  }
}

/** The composition root: configuration is read once, adapters are chosen here. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        HealthController,
        SignInController,
        AccessController,
        AllianceController,
        PeriodsController,
        SchemesController,
        SafetyController,
        MeasurementsController,
        ImportsController,
        SettlementController,
        StatementsController,
        AuditController,
        ...PORTAL_CONTROLLERS,
        ...INTEGRITY_CONTROLLERS,
        ...FEEDS_CONTROLLERS,
        ...BENCHMARKING_CONTROLLERS,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_OPTIONS, useValue: options },
        { provide: LedgerLog, useValue: new LedgerLog(config.logLevel, options.logTo) },
        { provide: CLOCK, useValue: systemClock },
        { provide: EVENT_STORE, useFactory: () => createEventStore(config.eventStore) },
        { provide: READ_MODELS, useFactory: () => openReadModels(config.readModels) },
        { provide: COMMAND_SERVICES, useExisting: LedgerHistory },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        { provide: IDENTITY, useFactory: () => openIdentity(config.auth, config.dataDir) },
        { provide: AUTHENTICATOR, useFactory: (identity: Identity) => identity.authenticator, inject: [IDENTITY] },
        { provide: APP_GUARD, useClass: AccessGuard },
        AccessControl,
        GetAccessListHandler,
        ...PORTAL_PROVIDERS,
        ...FEEDS_PROVIDERS,
        ...BENCHMARKING_PROVIDERS,
        Lifecycle,
        CommandCatalogue,
        StreamCache,
        CommandExecutor,
        LedgerHistory,
        ReplayLimiter,
        SettlementProjector,
        ConditionalGet,
        LedgerCommandHandler,
        ImportCommandsHandler,
        GetPeriodSummaryHandler,
        GetPartnerStatementHandler,
        ListAlliancesHandler,
        GetAllianceOverviewHandler,
        ReadAllianceEventsHandler,
        CheckPeriodCertificateHandler,
        GetSignOffsHandler,
        GetAllianceTermsHandler,
        GetSchemeDetailHandler,
        GetPeriodDerivationHandler,
        GetPeriodSeriesHandler,
        ...INTEGRITY_PROVIDERS,
      ],
    };
  }
}
