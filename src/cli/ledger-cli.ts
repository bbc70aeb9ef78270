import { ConfigError, loadConfig } from '../config/app-config';
import { isDomainError } from '../shared/domain-error';
import { CliIo, parseCommandLine } from './cli-options';
import { COMMAND_VERBS, RECORD_USAGE } from './command-verbs';

export type { CliIo } from './cli-options';

const INTEGRITY_COMMANDS = ['verify', 'export', 'restore', 'migrate', 'backup', 'keys'];

const INTEGRITY_USAGE = `
  verify [--alliance A]               recompute every alliance's digest from the store; exit 1 naming
                                      the first broken event and the certificates it affects
  export --alliance A [--out FILE]    the alliance's full history as NDJSON (stdout without --out)
  restore FILE                        load an export (or a backup) into an empty store, then verify
  migrate --to esdb://HOST:2113       copy the embedded store into EventStoreDB; compare digests and figures
  backup FILE                         an online backup of the embedded store (the service may keep running)
  keys [list|rotate]                  the certificate signing keys; rotate retires the active one
`;

export const USAGE = `Usage: npm run ledger -- <command> [options]

  import FILE [--alliance A]          apply NDJSON commands from FILE (- for stdin)
  summary --alliance A --period P     the period summary  [--as-at ISO-TIME] [--explain]
  statement --alliance A --period P --partner X
                                      a partner's reward statement  [--as-at ISO-TIME] [--explain]
  certificate --alliance A --period P check a closed period against its input events  [--as-at ISO-TIME]
  events --alliance A                 the alliance's event history  [--after|--before POSITION] [--limit N]
                                      [--order oldest|newest] [--type T1,T2] [--stream S | --scheme S]
                                      [--period P] [--actor SUBJECT] [--from ISO-TIME] [--to ISO-TIME] [--q ID]
                                      [--as-at ISO-TIME]: only the events recorded by then
${RECORD_USAGE}
  projections rebuild                 drop and rebuild every read model from the events
${INTEGRITY_USAGE}
  token --subject S [--name TEXT] [--admin] [--expires-in 8h]
                                      a bearer token from the local issuer, alone on stdout
  login-link --subject S [--name TEXT] [--admin]
                                      a single-use sign-in link for the pages (10 minutes)
  grant --alliance A --subject S --role R [--partner X]
  revoke --alliance A --subject S --role R [--partner X]
                                      record GrantRole / RevokeRole (roles: commercial-manager,
                                      recorder, approver, partner, auditor, reporting)

Commands on the data directory (import, grant, revoke, rebuild) act as local:<your OS user>:
whoever can read the data directory owns the data. Output is the same JSON as the HTTP API. Configuration comes from the same environment
variables as the service (LEDGER_DATA_DIR, EVENT_STORE, READ_MODEL_URL, ...).`;

const COMMANDS = ['import', 'summary', 'statement', 'certificate', 'events', 'projections', 'token', 'login-link', 'grant', 'revoke', 'run', ...COMMAND_VERBS.keys(), ...INTEGRITY_COMMANDS];

/**
 * Runs one CLI command; returns the exit code (0 done, 1 refused, 2 bad usage). Each kind of
 * command loads only what it needs, when it runs: help and the history start in a fraction of a
 * second; the application (Nest, the read models) is loaded for the commands that use it.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }

  if (!COMMANDS.includes(command)) {
    io.stderr.write(`"${command}" is not a ledger command.\n\n${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig({ LOG_LEVEL: 'warn', ...io.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`Configuration error: ${error.message}\n`);
    return 2;
  }
  if (command === 'token' || command === 'login-link') {
    try {
      const { issueCredential } = await import('./identity-commands');
      io.stdout.write(`${await issueCredential(command, values, config)}\n`);
      return 0;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
  }
  if (INTEGRITY_COMMANDS.includes(command)) {
    try {
      const { runIntegrityCommand } = await import('./integrity-commands');
      return await runIntegrityCommand(command, rest, values, config, io);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      io.stderr.write(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
      return error.kind === 'invalid' && error.errors.some((item) => item.field.startsWith('-') || item.field === 'FILE') ? 2 : 1;
    }
  }
  try {
    if (command === 'events') return await (await import('./history-command')).printEvents(values, config, io);
    return await (await import('./app-commands')).runAppCommand(command, rest, values, config, io);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    io.stderr.write(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
    return error.kind === 'invalid' && error.errors.some((item) => (item.field.startsWith('-') && !item.field.startsWith('--data.')) || item.field === 'FILE' || item.field === 'COMMAND' || item.field === 'command') ? 2 : 1;
  }
}
