/** The roles a subject can hold in one alliance (administrators hold them all, everywhere). */
export const ROLES = ['commercial-manager', 'recorder', 'approver', 'partner', 'auditor', 'reporting'] as const;
export type Role = (typeof ROLES)[number];

/** One role held by one subject in one alliance; `partnerId` only for the partner role. */
export interface RoleGrant {
  subject: string;
  role: Role;
  partnerId: string | null;
}

export function grantKey(grant: RoleGrant): string {
  return JSON.stringify([grant.subject, grant.role, grant.partnerId]);
}
