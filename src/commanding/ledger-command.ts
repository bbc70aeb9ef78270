import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, CommandResult } from './command-executor';
import { CommandMetadata } from './command-metadata';

/** Any command of the incentive model, by name: what controllers and the CLI put on the command bus. */
export class LedgerCommand implements ICommand {
  constructor(
    readonly name: string,
    readonly data: unknown,
    readonly metadata: CommandMetadata,
  ) {}
}

@CommandHandler(LedgerCommand)
export class LedgerCommandHandler implements ICommandHandler<LedgerCommand, CommandResult> {
  constructor(private readonly executor: CommandExecutor) {}

  execute(command: LedgerCommand): Promise<CommandResult> {
    return this.executor.execute(command.name, command.data, command.metadata);
  }
}
