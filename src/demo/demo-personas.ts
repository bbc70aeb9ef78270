import { Role } from '../access/domain/roles';
import { LocalIssuer } from '../access/identity/local-issuer';
import { DEMO_ALLIANCE_ID } from './smart-motorway-demo';

export interface DemoPersona {
  subject: string;
  name: string;
  admin?: boolean;
  role?: Role;
  partnerId?: string;
}

/** One person for every role, so a newcomer can try each within a minute of `npm run demo`. */
export const DEMO_PERSONAS: DemoPersona[] = [
  { subject: 'admin@demo.example', name: 'Alex Admin (administrator)', admin: true },
  { subject: 'commercial.manager@demo.example', name: 'Chris Commercial (commercial manager)', role: 'commercial-manager' },
  { subject: 'recorder@demo.example', name: 'Robin Recorder (recorder)', role: 'recorder' },
  { subject: 'approver@demo.example', name: 'Avery Approver (approver)', role: 'approver' },
  { subject: 'pmp@demo.example', name: 'Pat (production management partner)', role: 'partner', partnerId: 'PMP' },
  { subject: 'des1@demo.example', name: 'Dana (design partner 1)', role: 'partner', partnerId: 'DES1' },
  { subject: 'des2@demo.example', name: 'Drew (design partner 2)', role: 'partner', partnerId: 'DES2' },
  { subject: 'del1@demo.example', name: 'Sam (delivery partner 1)', role: 'partner', partnerId: 'DEL1' },
  { subject: 'del2@demo.example', name: 'Sky (delivery partner 2)', role: 'partner', partnerId: 'DEL2' },
  { subject: 'del3@demo.example', name: 'Sol (delivery partner 3)', role: 'partner', partnerId: 'DEL3' },
  { subject: 'auditor@demo.example', name: 'Ari Auditor (auditor)', role: 'auditor' },
  { subject: 'reporting@demo.example', name: 'Power BI service account (reporting)', role: 'reporting' },
];

/** GrantRole lines for the demo's personas, with fixed command ids so loading twice grants nothing new. */
export function demoGrantLines(): string[] {
  return DEMO_PERSONAS.filter((persona) => persona.role).map((persona) =>
    JSON.stringify({
      command: 'GrantRole',
      commandId: `demo-grant-${persona.subject}`,
      data: { allianceId: DEMO_ALLIANCE_ID, subject: persona.subject, role: persona.role, ...(persona.partnerId ? { partnerId: persona.partnerId } : {}) },
    }),
  );
}

/** What `npm run demo` prints once the service is up: for each persona, a sign-in link for the pages and a bearer token for the API. */
export async function demoSignInSheet(issuer: LocalIssuer, publicUrl: string): Promise<string> {
  const lines = ['', 'Demo personas: open a sign-in link in a browser (single use, 10 minutes), or call the API with the token (8 hours).', ''];
  for (const persona of DEMO_PERSONAS) {
    const identity = { subject: persona.subject, name: persona.name, admin: persona.admin };
    const link = `${publicUrl}/auth/login-link?token=${await issuer.loginLinkToken(identity)}`;
    const token = await issuer.accessToken({ ...identity, expiresIn: 8 * 3600 });
    lines.push(`${persona.name} — ${persona.subject}`, `  sign in: ${link}`, `  token:   ${token}`, '');
  }
  lines.push(`More links and tokens: npm run --silent ledger -- login-link --subject SUBJECT [--admin]   /   ledger token --subject SUBJECT`, '');
  return lines.join('\n');
}
