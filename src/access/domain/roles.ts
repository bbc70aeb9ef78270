/** The roles a subject can hold in one alliance (administrators hold them all, everywhere). */
export const ROLES = ['commercial-manager', 'recorder', 'approver', 'partner', 'auditor', 'reporting', 'benchmark'] as const;
export type Role = (typeof ROLES)[number];
/** The roles of an alliance's own people and tools; `benchmark` reads only the cross-alliance benchmark. */
export const MEMBER_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'benchmark');

/** One role held by one subject in one alliance; `partnerId` only for the partner role. */
export interface RoleGrant {
  subject: string;
  role: Role;
  partnerId: string | null;
}

export function grantKey(grant: RoleGrant): string {
  return JSON.stringify([grant.subject, grant.role, grant.partnerId]);
}
