import { parseArgs } from 'node:util';
import { invalid } from '../shared/domain-error';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export const OPTIONS = {
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

export function parseCommandLine(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
}

export type CliValues = ReturnType<typeof parseCommandLine>['values'];

export function required(values: CliValues, name: 'alliance' | 'period' | 'partner'): string {
  const value = values[name];
  if (!value) throw invalid(`--${name}`, 'is required');
  return value;
}

/** What every command prints: the API's JSON, alone on stdout. */
export function print(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
