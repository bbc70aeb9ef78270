import { Role } from '../../src/access/domain/roles';
import { workedExampleTerms } from '../support/alliance-fixtures';
import { HttpClient, importNdjson, ndjson } from '../support/test-app';

/** The alliance every role holder below is a member of, and one they hold nothing in. */
export const MEMBER_ALLIANCE = 'member-alliance';
export const OTHER_ALLIANCE = 'other-alliance';
/** The partner every partner-specific path and command names. */
export const TARGET_PARTNER = 'S1';
export const OTHER_PARTNER = 'S2';

export interface RoleHolder {
  subject: string;
  role: Role;
  partnerId: string | null;
  label: string;
}

/** One subject per role (two partners: the target partner's own, and another), each granted in MEMBER_ALLIANCE only. */
export const ROLE_HOLDERS: readonly RoleHolder[] = [
  { subject: 'cm@alliance.example', role: 'commercial-manager', partnerId: null, label: 'commercial-manager' },
  { subject: 'recorder@alliance.example', role: 'recorder', partnerId: null, label: 'recorder' },
  { subject: 'approver@alliance.example', role: 'approver', partnerId: null, label: 'approver' },
  { subject: 'own@partner-s1.example', role: 'partner', partnerId: TARGET_PARTNER, label: `partner ${TARGET_PARTNER} (own)` },
  { subject: 'other@partner-s2.example', role: 'partner', partnerId: OTHER_PARTNER, label: `partner ${OTHER_PARTNER} (other)` },
  { subject: 'auditor@alliance.example', role: 'auditor', partnerId: null, label: 'auditor' },
  { subject: 'reporting-tool', role: 'reporting', partnerId: null, label: 'reporting' },
  { subject: 'analyst@framework.example', role: 'benchmark', partnerId: null, label: 'benchmark' },
];

export const formAlliance = (closeApprovals: 1 | 2 = 1) => ({
  command: 'FormAlliance',
  data: {
    name: 'Access test alliance',
    owner: 'National Highways',
    closeApprovals,
    partners: workedExampleTerms().partners,
    shareBands: workedExampleTerms().shareBands.map(({ from, to, share }) => (to === null ? { from, share } : { from, to, share })),
    rewardPoolMax: '6000000.00',
    liabilityMax: '6000000.00',
  },
});

/** A quarter of facts, certified, so that every read of the alliance has something to show. */
export const CERTIFIED_QUARTER = ndjson(
  formAlliance(1),
  { command: 'DefineKpi', data: { kpiId: 'milestones', name: 'Milestones', unit: '%', source: 'measured', poor: '80', mcos: '90', outstanding: '100', weight: '1', gate: false } },
  { command: 'OpenPeriod', data: { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31' } },
  { command: 'RegisterScheme', data: { schemeId: 'A', name: 'Scheme A' } },
  { command: 'SetTargetBaseline', data: { schemeId: 'A', periodId: '2026-Q1', amount: '100000000.00' } },
  { command: 'RecordDefinedCost', data: { schemeId: 'A', periodId: '2026-Q1', costId: 'A-1', amount: '90000000.00' } },
  { command: 'CompleteScheme', data: { schemeId: 'A', periodId: '2026-Q1' } },
  { command: 'RecordKpiMeasurement', data: { kpiId: 'milestones', periodId: '2026-Q1', value: '95' } },
  { command: 'ClosePeriod', data: { periodId: '2026-Q1' } },
);

/** Both alliances formed (the member one with a certified quarter), and every role holder granted in the member one. */
export async function seedAlliances(admin: HttpClient): Promise<void> {
  await importNdjson(admin, MEMBER_ALLIANCE, CERTIFIED_QUARTER).expect(200);
  await importNdjson(admin, OTHER_ALLIANCE, ndjson(formAlliance(1))).expect(200);
  for (const holder of ROLE_HOLDERS) {
    await admin
      .post(`/alliances/${MEMBER_ALLIANCE}/access/grants`)
      .send({ subject: holder.subject, role: holder.role, ...(holder.partnerId ? { partnerId: holder.partnerId } : {}) })
      .expect(201);
  }
}
