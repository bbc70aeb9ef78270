import { createReadStream } from 'node:fs';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { localOperator } from '../access/identity/principal';
import { createCliContext } from '../app';
import { CheckPeriodCertificate } from '../audit/audit.queries';
import { CommandResult } from '../commanding/command-executor';
import { LedgerCommand } from '../commanding/ledger-command';
import { AppConfig } from '../config/app-config';
import { parseAsAt } from '../http/query-params';
import { importLimits, importNdjson } from '../imports/ndjson-import';
import { GetPartnerStatement, GetPeriodSummary } from '../settlement/queries/settlement.queries';
import { SettlementProjector } from '../settlement/read-models/settlement-projector';
import { invalid } from '../shared/domain-error';
import { CliIo, CliValues, print, required } from './cli-options';
import { COMMAND_VERBS } from './command-verbs';
import { progressBar } from './progress-bar';
import { recordCommand } from './record-commands';

/** The commands that need the application: recording through the command bus, figures from the read models. */
export async function runAppCommand(command: string, rest: string[], values: CliValues, config: AppConfig, io: CliIo): Promise<number> {
  const app = await createCliContext(config);
  try {
    const commands = app.get(CommandBus);
    const operator = localOperator(io.env);
    const queries = app.get(QueryBus);
    const figures = () => ({ asAt: parseAsAt(values['as-at'], '--as-at'), explain: values.explain ?? false });

    switch (command) {
      case 'import': {
        const [file] = rest;
        if (!file) throw invalid('FILE', 'is required: the NDJSON file to import, or - for stdin');
        const input = file === '-' ? io.stdin : await openFile(file);
        const report = await importNdjson(commands, values.alliance ?? null, input as AsyncIterable<Buffer>, operator, {}, importLimits(config.http));
        print(io, report);
        if (report.error) io.stderr.write(`Import stopped at ${report.error.message}\n`);
        return report.error ? 1 : 0;
      }
      case 'summary':
        print(io, await queries.execute(new GetPeriodSummary(required(values, 'alliance'), required(values, 'period'), figures())));
        return 0;
      case 'statement':
        print(io, await queries.execute(new GetPartnerStatement(required(values, 'alliance'), required(values, 'period'), required(values, 'partner'), figures())));
        return 0;
      case 'grant':
      case 'revoke': {
        const data = { allianceId: required(values, 'alliance'), subject: values.subject, role: values.role, ...(values.partner ? { partnerId: values.partner } : {}) };
        const name = command === 'grant' ? 'GrantRole' : 'RevokeRole';
        print(io, await commands.execute<LedgerCommand, CommandResult>(new LedgerCommand(name, data, { actor: operator.subject }, operator)));
        return 0;
      }
      case 'certificate':
        print(io, await queries.execute(new CheckPeriodCertificate(required(values, 'alliance'), required(values, 'period'), parseAsAt(values['as-at'], '--as-at'))));
        return 0;
      case 'run': {
        const [name] = rest;
        if (!name) throw invalid('COMMAND', `is required: one of ${[...COMMAND_VERBS.values()].join(', ')}`);
        print(io, await recordCommand(app, name, values, operator));
        return 0;
      }
      case 'projections': {
        if (rest[0] !== 'rebuild') throw invalid('projections', 'the only projections command is "rebuild"');
        const draw = progressBar(io.stderr, 'Rebuilding');
        const started = Date.now();
        const result = await app.get(SettlementProjector).rebuild(({ events, position, head }) =>
          draw(Number(position.commit), Number(head?.commit ?? position.commit), `${events.toLocaleString('en-GB')} events`),
        );
        print(io, { ...result, seconds: (Date.now() - started) / 1000 });
        return 0;
      }
      default: {
        const name = COMMAND_VERBS.get(command);
        if (!name) throw invalid('command', `"${command}" is not a ledger command`);
        print(io, await recordCommand(app, name, values, operator));
        return 0;
      }
    }
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
