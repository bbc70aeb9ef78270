import { createReadStream } from 'node:fs';
import { localOperator } from '../access/identity/principal';
import { parseArgs } from 'node:util';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { createCliContext } from '../app';
import { CheckPeriodCertificate, ReadAllianceEvents } from '../audit/audit.queries';
import { ConfigError, loadConfig } from '../config/app-config';
import { importLimits, importNdjson } from '../imports/ndjson-import';
import { parseAsAt } from '../http/query-params';
import { parseEventSearch } from '../audit/event-search';
import { COMMAND_VERBS, recordCommand, RECORD_USAGE } from './record-commands';
import { GetPartnerStatement, GetPeriodSummary } from '../settlement/queries/settlement.queries';
import { SettlementProjector } from '../settlement/read-models/settlement-projector';
import { invalid, isDomainError } from '../shared/domain-error';
import { CommandResult } from '../commanding/command-executor';
import { LedgerCommand } from '../commanding/ledger-command';
import { issueCredential } from './identity-commands';
import { INTEGRITY_COMMANDS, INTEGRITY_USAGE, runIntegrityCommand } from './integrity-commands';
import { progressBar } from './progress-bar';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export const USAGE = `Usage: npm run ledger -- <command> [options]

  import FILE [--alliance A]          apply NDJSON commands from FILE (- for stdin)
  summary --alliance A --period P     the period summary  [--as-at ISO-TIME] [--explain]
  statement --alliance A --period P --partner X
                                      a partner's reward statement  [--as-at ISO-TIME] [--explain]
  certificate --alliance A --period P check a closed period against its input events
  events --alliance A                 the alliance's event history  [--after|--before POSITION] [--limit N]
                                      [--order oldest|newest] [--type T1,T2] [--stream S | --scheme S]
                                      [--period P] [--actor SUBJECT] [--from ISO-TIME] [--to ISO-TIME] [--q ID]
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

const OPTIONS = {
  alliance: { type: 'string' },
  period: { type: 'string' },
  partner: { type: 'string' },
  'as-at': { type: 'string' },
  explain: { type: 'boolean' },
  after: { type: 'string' },
  limit: { type: 'string' },
  subject: { type: 'string' },
  name: { type: 'string' },
  admin: { type: 'boolean' },
  'expires-in': { type: 'string' },
  role: { type: 'string' },
  before: { type: 'string' },
  order: { type: 'string' },
  type: { type: 'string' },
  stream: { type: 'string' },
  scheme: { type: 'string' },
  actor: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  q: { type: 'string' },
  data: { type: 'string' },
  'command-id': { type: 'string' },
  token: { type: 'string' },
  reason: { type: 'string' },
  amount: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs one CLI command; returns the exit code (0 done, 1 refused, 2 bad usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
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
      return await runIntegrityCommand(command, rest, values, config, io);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      io.stderr.write(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
      return error.kind === 'invalid' && error.errors.some((item) => item.field.startsWith('-') || item.field === 'FILE') ? 2 : 1;
    }
  }
  const app = await createCliContext(config);
  try {
    const commands = app.get(CommandBus);
    const operator = localOperator(io.env);
    const queries = app.get(QueryBus);
    const required = (name: 'alliance' | 'period' | 'partner') => {
      const value = values[name];
      if (!value) throw invalid(`--${name}`, 'is required');
      return value;
    };
    const figures = () => ({ asAt: parseAsAt(values['as-at'], '--as-at'), explain: values.explain ?? false });
    const print = (value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

    switch (command) {
      case 'import': {
        const [file] = rest;
        if (!file) throw invalid('FILE', 'is required: the NDJSON file to import, or - for stdin');
        const input = file === '-' ? io.stdin : await openFile(file);
        const report = await importNdjson(commands, values.alliance ?? null, input as AsyncIterable<Buffer>, operator, {}, importLimits(config.http));
        print(report);
        if (report.error) io.stderr.write(`Import stopped at ${report.error.message}\n`);
        return report.error ? 1 : 0;
      }
      case 'summary':
        print(await queries.execute(new GetPeriodSummary(required('alliance'), required('period'), figures())));
        return 0;
      case 'statement':
        print(await queries.execute(new GetPartnerStatement(required('alliance'), required('period'), required('partner'), figures())));
        return 0;
      case 'grant':
      case 'revoke': {
        const data = { allianceId: required('alliance'), subject: values.subject, role: values.role, ...(values.partner ? { partnerId: values.partner } : {}) };
        const name = command === 'grant' ? 'GrantRole' : 'RevokeRole';
        const result = await commands.execute<LedgerCommand, CommandResult>(new LedgerCommand(name, data, { actor: operator.subject }, operator));
        print(result);
        return 0;
      }
      case 'certificate':
        print(await queries.execute(new CheckPeriodCertificate(required('alliance'), required('period'))));
        return 0;
      case 'events':
        print(await queries.execute(new ReadAllianceEvents(required('alliance'), parseEventSearch({ ...values, period: values.period }))));
        return 0;
      case 'run': {
        const [name] = rest;
        if (!name) throw invalid('COMMAND', `is required: one of ${[...COMMAND_VERBS.values()].join(', ')}`);
        print(await recordCommand(app, name, values, operator));
        return 0;
      }
      case 'projections': {
        if (rest[0] !== 'rebuild') throw invalid('projections', 'the only projections command is "rebuild"');
        const draw = progressBar(io.stderr, 'Rebuilding');
        const started = Date.now();
        const result = await app.get(SettlementProjector).rebuild(({ events, position, head }) =>
          draw(Number(position.commit), Number(head?.commit ?? position.commit), `${events.toLocaleString('en-GB')} events`),
        );
        print({ ...result, seconds: (Date.now() - started) / 1000 });
        return 0;
      }
      default: {
        const name = COMMAND_VERBS.get(command);
        if (!name) throw invalid('command', `"${command}" is not a ledger command`);
        print(await recordCommand(app, name, values, operator));
        return 0;
      }
    }
  } catch (error) {
    if (!isDomainError(error)) throw error;
    io.stderr.write(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
    return error.kind === 'invalid' && error.errors.some((item) => (item.field.startsWith('-') && !item.field.startsWith('--data.')) || item.field === 'FILE' || item.field === 'COMMAND' || item.field === 'command') ? 2 : 1;
  } finally {
    await app.close();
  }
}

function openFile(path: string): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(path);
    stream.once('open', () => resolve(stream));
    stream.once('error', (error: NodeJS.ErrnoException) => reject(invalid('FILE', `cannot be read (${error.code ?? error.message})`)));
  });
}
