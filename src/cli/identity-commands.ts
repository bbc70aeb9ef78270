import { LocalIssuer } from '../access/identity/local-issuer';
import { AppConfig } from '../config/app-config';
import { invalid } from '../shared/domain-error';
import { SUBJECT_PATTERN } from '../shared/validation';

export interface IdentityOptions {
  subject?: string;
  name?: string;
  admin?: boolean;
  'expires-in'?: string;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `1s`, `10m`, `8h`, `7d` as seconds; at most 30 days, so a forgotten token does not live for ever. */
export function parseDuration(text: string, field = '--expires-in'): number {
  const match = /^(\d{1,7})([smhd])$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNITS[match[2]] : NaN;
  if (!match || seconds < 1 || seconds > 30 * 86400) throw invalid(field, 'must be a duration such as 30s, 10m, 8h or 7d (at most 30d)');
  return seconds;
}

/**
 * `ledger token` and `ledger login-link`: signed with the local issuer's key in the data
 * directory, without starting the application, so they answer at once and print only what was asked.
 */
export async function issueCredential(kind: 'token' | 'login-link', options: IdentityOptions, config: AppConfig): Promise<string> {
  if (config.auth.issuer !== null) {
    throw invalid('AUTH_ISSUER', `is set, so people sign in through ${config.auth.issuer}; ledger ${kind} is for the local issuer of the embedded default`, 'local_issuer_disabled');
  }
  const subject = options.subject;
  if (!subject) throw invalid('--subject', 'is required: who the token is for (it becomes the actor of what they record)');
  if (!SUBJECT_PATTERN.test(subject)) throw invalid('--subject', 'must be 1–255 visible characters with no spaces');
  const issuer = await LocalIssuer.open(config.dataDir, config.auth.audience);
  const identity = { subject, name: options.name, admin: options.admin ?? false };
  if (kind === 'token') return issuer.accessToken({ ...identity, expiresIn: parseDuration(options['expires-in'] ?? '8h') });
  if (options['expires-in'] !== undefined) throw invalid('--expires-in', 'is not an option of login-link: a sign-in link always expires in 10 minutes');
  return `${config.auth.publicUrl}/auth/login-link?token=${await issuer.loginLinkToken(identity)}`;
}
