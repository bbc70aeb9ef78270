import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandResult } from '../commanding/command-executor';
import { LedgerCommand } from '../commanding/ledger-command';
import { callerOf, commandData, commandMetadata, sendCommandResult } from './command-request';

/** What every command route does: body plus path ids, headers as metadata, onto the command bus. */
export abstract class CommandController {
  constructor(protected readonly commands: CommandBus) {}

  protected async run(name: string, path: Record<string, string>, body: unknown, request: FastifyRequest, response: FastifyReply): Promise<CommandResult> {
    const result = await this.commands.execute<LedgerCommand, CommandResult>(new LedgerCommand(name, commandData(body, path), commandMetadata(request), callerOf(request)));
    return sendCommandResult(response, result);
  }
}
