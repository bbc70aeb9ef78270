import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Authenticator, AUTHENTICATOR } from '../access/identity/authenticator';
import { Principal } from '../access/identity/principal';
import { CommandResult } from '../commanding/command-executor';
import { LedgerCommand } from '../commanding/ledger-command';
import { invalid } from '../shared/domain-error';
import { parseStrictJson } from '../shared/strict-json';

/** The options `ledger run` and the command verbs read; each names a field of the command's data. */
export interface RecordOptions {
  data?: string;
  alliance?: string;
  period?: string;
  partner?: string;
  scheme?: string;
  reason?: string;
  amount?: string;
  'command-id'?: string;
  token?: string;
}

/**
 * Records one command through the command bus, as the API does: the data's fields from `--data`
 * and the id flags, checked by the command's own request DTO, with the caller's rights.
 */
export async function recordCommand(app: INestApplicationContext, name: string, options: RecordOptions, operator: Principal): Promise<CommandResult> {
  let data: Record<string, unknown> = {};
  if (options.data !== undefined) {
    const parsed = parseData(options.data);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('--data', 'must be a JSON object: the command’s fields');
    data = parsed as Record<string, unknown>;
  }
  const flags: Array<[keyof RecordOptions, string]> = [
    ['alliance', 'allianceId'],
    ['period', 'periodId'],
    ['partner', 'partnerId'],
    ['scheme', 'schemeId'],
    ['reason', 'reason'],
    ['amount', 'amount'],
  ];
  for (const [flag, field] of flags) {
    const value = options[flag];
    if (value === undefined) continue;
    if (data[field] !== undefined && data[field] !== value) throw invalid(`--${flag}`, `contradicts "${field}" in --data`);
    data[field] = value;
  }
  if (typeof data.allianceId !== 'string') throw invalid('--alliance', 'is required');
  const principal = options.token ? await app.get<Authenticator>(AUTHENTICATOR).bearer.verify(options.token).catch(() => {
    throw invalid('--token', 'is not a token this ledger accepts (expired, or from another issuer)');
  }) : operator;
  const commandId = options['command-id'] ?? randomUUID();
  return app.get(CommandBus).execute<LedgerCommand, CommandResult>(new LedgerCommand(name, data, { actor: principal.subject, commandId }, principal));
}

/** Read as strictly as an HTTP body: a refusal names the field (`--data.amount`). */
function parseData(text: string): unknown {
  return parseStrictJson(text, { root: '--data' });
}
