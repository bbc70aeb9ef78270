import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { AccessControl } from '../access/access-control';
import { Principal } from '../access/identity/principal';
import { CommandExecutor, CommandResult } from './command-executor';
import { CommandMetadata } from './command-metadata';
import { CommandCatalogue } from './command-catalogue';

/** Any command of the incentive model, by name: what controllers and the CLI put on the command bus. */
export class LedgerCommand implements ICommand {
  constructor(
    readonly name: string,
    readonly data: unknown,
    readonly metadata: CommandMetadata,
    readonly principal: Principal,
  ) {}
}

/** Every command runs with its caller's rights: the permissions table is checked by the command's own name. */
@CommandHandler(LedgerCommand)
export class LedgerCommandHandler implements ICommandHandler<LedgerCommand, CommandResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly catalogue: CommandCatalogue,
    private readonly access: AccessControl,
  ) {}

  async execute(command: LedgerCommand): Promise<CommandResult> {
    const definition = this.catalogue.get(command.name);
    await authorizeCommand(this.access, command.principal, definition.name, command.data);
    return this.executor.execute(definition.name, command.data, command.metadata);
  }
}

/** The access check for one command: its alliance and, for partner-specific commands, its partner, read from the raw data. */
export function authorizeCommand(access: AccessControl, principal: Principal, name: string, data: unknown): Promise<void> {
  const fields = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  return access.authorize(principal, {
    action: name,
    allianceId: typeof fields.allianceId === 'string' ? fields.allianceId : '',
    partnerId: typeof fields.partnerId === 'string' ? fields.partnerId : null,
  });
}
