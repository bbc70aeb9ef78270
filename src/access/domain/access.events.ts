import { DomainEvent } from '../../shared/decider';
import { Role } from './roles';

export interface RoleChange {
  allianceId: string;
  subject: string;
  role: Role;
  partnerId: string | null;
}

export type RoleGranted = DomainEvent<'RoleGranted', RoleChange>;
export type RoleRevoked = DomainEvent<'RoleRevoked', RoleChange>;
export type AccessEvent = RoleGranted | RoleRevoked;

export const ACCESS_EVENT_TYPES = ['RoleGranted', 'RoleRevoked'] as const;
