import { userInfo } from 'node:os';

/** Who is asking: the token's (or session's) subject, and whether they administer the ledger. */
export interface Principal {
  subject: string;
  name: string | null;
  /** In LEDGER_ADMINS, or a local-issuer token carrying `ledger_admin: true`. */
  admin: boolean;
  /** How the request proved it: a bearer token, a pages session, or the operator on the data directory. */
  via: 'bearer' | 'session' | 'local';
}

/** The `ledger` CLI's direct commands act as whoever can read the data directory. */
export function localOperator(env: NodeJS.ProcessEnv = process.env): Principal {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = env.USER || env.USERNAME || env.LOGNAME || 'unknown';
  }
  return { subject: `local:${user}`, name: null, admin: true, via: 'local' };
}
