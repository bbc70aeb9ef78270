import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { collect, comparePositions, EVENT_STORE, EventStore, parsePosition, StoredEvent } from '../event-store/event-store.port';
import { PeriodClosed, upcastCertificate } from '../periods/domain/periods.events';
import { CertificateCheck, compareWithCertificate, PeriodCertification } from '../settlement/domain/certification';
import { PeriodCertificate } from '../settlement/domain/summary.types';
import { recordedAt } from '../history/recorded-at';
import { LedgerHistory } from '../settlement/queries/ledger-history';
import { ReplayLimiter } from '../settlement/queries/replay-limiter';
import { notFound } from '../shared/domain-error';
import { streamNames } from '../shared/stream-names';
import { EventPage, readAllianceEvents } from './event-history';
import { EventSearch } from './event-search';

export class ReadAllianceEvents {
  constructor(
    readonly allianceId: string,
    readonly options: EventSearch,
  ) {}
}

export type { EventPage };
export { describeEvent, SCAN_LIMIT } from './event-history';

/** The history as the API, the pages and the CLI read it (src/audit/event-history.ts). */
@QueryHandler(ReadAllianceEvents)
export class ReadAllianceEventsHandler implements IQueryHandler<ReadAllianceEvents, EventPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ allianceId, options }: ReadAllianceEvents): Promise<EventPage> {
    return readAllianceEvents(this.store, allianceId, options);
  }
}

export class CheckPeriodCertificate {
  constructor(
    readonly allianceId: string,
    readonly periodId: string,
    /** The check as it stood at this instant: the certificate recorded by then, if any. */
    readonly asAt?: Date,
  ) {}
}

export type CertificateReport = CertificateCheck & { certificate: PeriodCertificate };

/** Recomputes a closed period from its input events and compares the digest and figures. */
@QueryHandler(CheckPeriodCertificate)
export class CheckPeriodCertificateHandler implements IQueryHandler<CheckPeriodCertificate, CertificateReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly history: LedgerHistory,
    private readonly replays: ReplayLimiter,
  ) {}

  execute(query: CheckPeriodCertificate): Promise<CertificateReport> {
    return this.replays.run(() => this.check(query));
  }

  private async check({ allianceId, periodId, asAt }: CheckPeriodCertificate): Promise<CertificateReport> {
    const periodEvents = await collect(this.store.readStream(streamNames.periods(allianceId)));
    const closed = periodEvents.find(
      (event): event is StoredEvent<'PeriodClosed', PeriodClosed['data']> => event.type === 'PeriodClosed' && event.data.periodId === periodId && (asAt === undefined || recordedAt(event) <= asAt.getTime()),
    );
    if (!closed) throw notFound('period_not_certified', 'periodId', `period ${periodId} of alliance ${allianceId} ${asAt ? `had not been closed by ${asAt.toISOString()}` : 'has not been closed'}`);
    const certificate = upcastCertificate(closed.data.certificate);
    const cutoff = certificate.inputs.upToPosition === null ? null : parsePosition(certificate.inputs.upToPosition);
    const recomputation = new PeriodCertification(allianceId, periodId);
    const treeSize = certificate.ledger?.treeSize;
    if (treeSize !== undefined) {
      // The alliance's first treeSize events: the same in every store, where positions are not (a migrated history).
      let count = 0;
      for await (const event of this.history.events(allianceId)) {
        if (count >= treeSize) break;
        recomputation.add(event);
        count += 1;
      }
    } else if (cutoff) {
      for await (const event of this.history.events(allianceId)) {
        if (comparePositions(event.position, cutoff) > 0) break;
        recomputation.add(event);
      }
    }
    return { ...compareWithCertificate(recomputation, certificate), certificate };
  }
}
