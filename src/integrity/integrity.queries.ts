import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { ReplayLimiter } from '../settlement/queries/replay-limiter';
import { allianceEvents, alliancesIn, recordedDigests } from './alliance-events';
import { AllianceDigest, AllianceDigests } from './alliance-digests';
import { buildInclusionProof, InclusionProof } from './inclusion-proof';
import { SigningKeys } from './signing-keys';
import { AllianceVerification, verifyAlliance } from './verification';

export class GetAllianceDigest {
  constructor(readonly allianceId: string) {}
}

@QueryHandler(GetAllianceDigest)
export class GetAllianceDigestHandler implements IQueryHandler<GetAllianceDigest, AllianceDigest> {
  constructor(private readonly digests: AllianceDigests) {}

  execute({ allianceId }: GetAllianceDigest): Promise<AllianceDigest> {
    return this.digests.current(allianceId);
  }
}

export class GetInclusionProof {
  constructor(
    readonly allianceId: string,
    readonly eventId: string,
  ) {}
}

/** Reads the whole history to build the path, so it takes a turn among the replays. */
@QueryHandler(GetInclusionProof)
export class GetInclusionProofHandler implements IQueryHandler<GetInclusionProof, InclusionProof> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly replays: ReplayLimiter,
  ) {}

  execute({ allianceId, eventId }: GetInclusionProof): Promise<InclusionProof> {
    return this.replays.run(() => buildInclusionProof(allianceId, eventId, allianceEvents(this.store, allianceId)));
  }
}

export class VerifyLedger {
  /** One alliance, or every alliance in the store. */
  constructor(readonly allianceId?: string) {}
}

@QueryHandler(VerifyLedger)
export class VerifyLedgerHandler implements IQueryHandler<VerifyLedger, AllianceVerification[]> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly keys: SigningKeys,
  ) {}

  async execute({ allianceId }: VerifyLedger): Promise<AllianceVerification[]> {
    const alliances = allianceId ? [allianceId] : await alliancesIn(this.store);
    const results: AllianceVerification[] = [];
    for (const id of alliances) results.push(await verifyAlliance(id, allianceEvents(this.store, id), recordedDigests(this.store, id), this.keys));
    return results;
  }
}
