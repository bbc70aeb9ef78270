import { assertNever, Decider } from '../../shared/decider';
import { conflict, forbidden, invalid, notFound } from '../../shared/domain-error';
import { AccessEvent, RoleChange } from './access.events';
import { grantKey, RoleGrant } from './roles';

/** Who holds which role in one alliance, keyed by subject, role and partner. */
export interface AccessState {
  grants: ReadonlyMap<string, RoleGrant>;
}

interface RoleCommandBase extends RoleGrant {
  allianceId: string;
  /** The subject running the command: nobody changes their own access. */
  actor: string;
  allianceFormed: boolean;
  partnerIds: readonly string[];
}

export type AccessCommand = ({ type: 'GrantRole' } & RoleCommandBase) | ({ type: 'RevokeRole' } & RoleCommandBase);

export const accessDecider: Decider<AccessCommand, AccessEvent, AccessState> = {
  initialState: () => ({ grants: new Map() }),

  evolve(state, event) {
    const grants = new Map(state.grants);
    const { subject, role, partnerId } = event.data;
    switch (event.type) {
      case 'RoleGranted':
        grants.set(grantKey({ subject, role, partnerId }), { subject, role, partnerId });
        return { grants };
      case 'RoleRevoked':
        grants.delete(grantKey({ subject, role, partnerId }));
        return { grants };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    if (!command.allianceFormed) throw notFound('alliance_not_found', 'allianceId', `alliance ${command.allianceId} has not been formed`);
    if (command.role === 'partner' && command.partnerId === null) throw invalid('partnerId', 'is required for the partner role');
    if (command.role !== 'partner' && command.partnerId !== null) throw invalid('partnerId', `must be left out for the ${command.role} role`);
    if (command.partnerId !== null && !command.partnerIds.includes(command.partnerId)) {
      throw notFound('partner_not_found', 'partnerId', `${command.partnerId} is not a partner of alliance ${command.allianceId}`);
    }
    if (command.subject === command.actor) throw forbidden('own_access', 'subject', 'is you: nobody grants or revokes their own roles');
    const change: RoleChange = { allianceId: command.allianceId, subject: command.subject, role: command.role, partnerId: command.partnerId };
    const held = state.grants.has(grantKey(command));
    switch (command.type) {
      case 'GrantRole':
        return held ? [] : [{ type: 'RoleGranted', data: change }];
      case 'RevokeRole':
        if (!held) throw conflict('role_not_held', 'role', `${command.subject} does not hold ${describe(command)} in alliance ${command.allianceId}`);
        return [{ type: 'RoleRevoked', data: change }];
      default:
        return assertNever(command);
    }
  },
};

function describe(grant: RoleGrant): string {
  return grant.partnerId ? `the ${grant.role} role for ${grant.partnerId}` : `the ${grant.role} role`;
}

/** The roles one subject holds, from the alliance's access state. */
export function grantsOf(state: AccessState, subject: string): RoleGrant[] {
  return [...state.grants.values()].filter((grant) => grant.subject === subject);
}
