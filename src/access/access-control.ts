import { Inject, Injectable } from '@nestjs/common';
import { StreamCache } from '../commanding/stream-cache';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { recordedAt } from '../settlement/queries/ledger-history';
import { forbidden, notFound } from '../shared/domain-error';
import { streamNames } from '../shared/stream-names';
import { AccessState, accessDecider, grantsOf } from './domain/access.decider';
import { AccessEvent } from './domain/access.events';
import { RoleGrant } from './domain/roles';
import { Principal } from './identity/principal';
import { allows, ruleFor } from './permissions';

/** What an access check is about: an action in an alliance, for one partner or none. */
export interface AccessRequest {
  action: string;
  allianceId: string;
  /** The partner a statement or sign-off is for; null when the action is not about one partner. */
  partnerId: string | null;
}

/**
 * Reads the roles the ledger recorded (GrantRole / RevokeRole) and applies the permissions table.
 * Holding no role in an alliance answers 404 whether or not it exists, so membership is not leaked.
 */
@Injectable()
export class AccessControl {
  constructor(
    private readonly cache: StreamCache,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async grantsOf(allianceId: string, subject: string): Promise<RoleGrant[]> {
    const loaded = await this.cache.load(streamNames.access(allianceId), accessDecider);
    return grantsOf(loaded.state, subject);
  }

  async authorize(principal: Principal, { action, allianceId, partnerId }: AccessRequest): Promise<void> {
    const rule = ruleFor(action);
    if (!rule) throw forbidden('forbidden', 'action', `${action} is not in the permissions table`);
    if (principal.admin) return;
    const grants = await this.grantsOf(allianceId, principal.subject);
    if (grants.length === 0) throw notFound('alliance_not_found', 'allianceId', `alliance ${allianceId} has not been formed`);
    // A partner-specific action with no partner named is let through to validation, which names the missing field.
    const target = partnerId ?? (grants.find((grant) => grant.partnerId !== null)?.partnerId ?? null);
    if (!allows(rule, grants, target)) {
      throw forbidden('forbidden', 'role', `${principal.subject} holds ${describe(grants)} in alliance ${allianceId}, which does not allow ${action}${partnerId ? ` for ${partnerId}` : ''}`);
    }
  }

  /** The alliances among `allianceIds` the principal holds a role in (all of them for an administrator). */
  async visible(principal: Principal, allianceIds: readonly string[]): Promise<string[]> {
    if (principal.admin) return [...allianceIds];
    const held = await Promise.all(allianceIds.map(async (allianceId) => ((await this.grantsOf(allianceId, principal.subject)).length > 0 ? allianceId : null)));
    return held.filter((allianceId): allianceId is string => allianceId !== null);
  }

  /** Who held which role, as recorded up to `asAt` (or now). */
  async grantsAsAt(allianceId: string, asAt?: Date): Promise<RoleGrant[]> {
    let state: AccessState = accessDecider.initialState();
    const limit = asAt?.getTime();
    for await (const event of this.store.readStream(streamNames.access(allianceId))) {
      if (limit !== undefined && recordedAt(event) > limit) break;
      state = accessDecider.evolve(state, { type: event.type, data: event.data } as AccessEvent);
    }
    return [...state.grants.values()].sort((a, b) => a.subject.localeCompare(b.subject) || a.role.localeCompare(b.role));
  }
}

function describe(grants: RoleGrant[]): string {
  return grants.map((grant) => (grant.partnerId ? `${grant.role} (${grant.partnerId})` : grant.role)).join(', ');
}
