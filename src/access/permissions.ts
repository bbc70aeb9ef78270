import { MEMBER_ROLES, Role, ROLES } from './domain/roles';

/** `any`: the role allows it; `own-partner`: only for the partner the grant names. */
export type Allowance = 'any' | 'own-partner';
export type Rule = { administratorsOnly: true } | { roles: Partial<Record<Role, Allowance>> };

const FACTS: Rule = { roles: { 'commercial-manager': 'any', recorder: 'any' } };
const COMMERCIAL: Rule = { roles: { 'commercial-manager': 'any' } };
const APPROVAL: Rule = { roles: { approver: 'any' } };
const EVERY_ROLE: Rule = { roles: Object.fromEntries(MEMBER_ROLES.map((role) => [role, 'any'])) };
const SIGN_OFF: Rule = { roles: { partner: 'own-partner' } };

/**
 * Who may do what: the one table the guard, the command path and the role-matrix test read.
 * Commands are keyed by their name; reads by the actions the routes declare. Administrators
 * (LEDGER_ADMINS, or local tokens with ledger_admin) hold every role in every alliance.
 */
export const PERMISSIONS = {
  FormAlliance: { administratorsOnly: true },
  GrantRole: { administratorsOnly: true },
  RevokeRole: { administratorsOnly: true },

  DefineKpi: COMMERCIAL,
  OpenPeriod: COMMERCIAL,
  CancelPeriod: COMMERCIAL,

  RegisterScheme: FACTS,
  SetTargetBaseline: FACTS,
  ImplementCompensationEvent: FACTS,
  ReverseCompensationEvent: FACTS,
  RecordDefinedCost: FACTS,
  DisallowCost: FACTS,
  ReverseDefinedCost: FACTS,
  CompleteScheme: FACTS,
  RecordSiteDates: FACTS,
  ReportSafetyIncident: FACTS,
  RecordHoursWorked: FACTS,
  RecordKpiMeasurement: FACTS,

  ClosePeriod: COMMERCIAL,
  ProposePeriodClose: COMMERCIAL,
  ApprovePeriodClose: APPROVAL,
  RejectPeriodClose: APPROVAL,

  AcknowledgeStatement: SIGN_OFF,
  DisputeStatement: SIGN_OFF,

  /** Summaries, certificates, the alliance overview, the event history, asAt, explanations. */
  read: EVERY_ROLE,
  /** A partner's statement: every role, but a partner only its own. */
  'read-statement': { roles: { 'commercial-manager': 'any', recorder: 'any', approver: 'any', partner: 'own-partner', auditor: 'any', reporting: 'any' } },
  /** Who holds which role (and held it, asAt): the people who manage or audit the alliance. */
  'read-access': { roles: { 'commercial-manager': 'any', auditor: 'any' } },
  /** The benchmark across the deployment's alliances, seen from this one: its members (others anonymised) and benchmark analysts. */
  'read-benchmark': { roles: Object.fromEntries(ROLES.map((role) => [role, 'any'])) },
  /** Seeing every alliance of the benchmark by name, not only one's own: benchmark analysts (and administrators). */
  'benchmark-names': { roles: { benchmark: 'any' } },
  /** An alliance's webhooks and their delivery log: who manages the alliance, and its auditors. */
  'read-webhooks': { roles: { 'commercial-manager': 'any', auditor: 'any' } },
  /** Registering or removing a webhook sends the alliance's events to a URL outside the ledger: its commercial manager. */
  'manage-webhooks': COMMERCIAL,
  /** The command envelope and imports: open to members; each command is then checked by its own name. */
  member: EVERY_ROLE,
} satisfies Record<string, Rule>;

export type Action = keyof typeof PERMISSIONS;

/** Route-level access that needs no alliance: anyone (health, docs, sign-in) or anyone signed in. */
export type Gate = 'public' | 'signed-in';

export function ruleFor(action: string): Rule | undefined {
  return (PERMISSIONS as Record<string, Rule>)[action];
}

/** Whether grants allow an action, for a partner-specific target (`partnerId`) or none. */
export function allows(rule: Rule, grants: ReadonlyArray<{ role: Role; partnerId: string | null }>, partnerId: string | null): boolean {
  if ('administratorsOnly' in rule) return false;
  return grants.some((grant) => {
    const allowance = rule.roles[grant.role];
    if (allowance === 'any') return true;
    return allowance === 'own-partner' && partnerId !== null && grant.partnerId === partnerId;
  });
}
