import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { AccessControl } from '../access/access-control';
import { Principal } from '../access/identity/principal';
import { authorizeCommand } from '../commanding/ledger-command';
import { CommandCatalogue } from '../commanding/command-catalogue';
import { CommandServices } from '../commanding/command-definition';
import { COMMAND_SERVICES } from '../commanding/command-executor';
import { KeyedLock } from '../commanding/keyed-lock';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { Clock, CLOCK } from '../shared/clock';
import { FoldedStreams } from './folded-streams';
import { ImportReport, ImportSession } from './import-session';

/** Applies NDJSON command lines to one alliance (or, with no alliance given, the one the first line names). */
export class ImportCommands implements ICommand {
  constructor(
    readonly allianceId: string | null,
    readonly lines: AsyncIterable<string>,
    readonly principal: Principal,
    readonly origin: { correlationId?: string } = {},
  ) {}
}

@CommandHandler(ImportCommands)
export class ImportCommandsHandler implements ICommandHandler<ImportCommands, ImportReport> {
  /** One per instance: imports into one alliance take turns chunk by chunk instead of overwriting each other's decisions. */
  private readonly locks = new KeyedLock();
  /** Streams the last imports folded, so the next import of a growing alliance reads only what is new. */
  private readonly folded = new FoldedStreams();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMMAND_SERVICES) private readonly services: CommandServices,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalogue: CommandCatalogue,
    private readonly access: AccessControl,
  ) {}

  execute(command: ImportCommands): Promise<ImportReport> {
    const session = new ImportSession(
      {
        store: this.store,
        catalogue: this.catalogue,
        services: this.services,
        clock: this.clock,
        locks: this.locks,
        folded: this.folded,
        authorize: (name, data) => authorizeCommand(this.access, command.principal, name, data),
      },
      command.allianceId,
      { importId: randomUUID(), actor: command.principal.subject, ...command.origin },
    );
    return session.run(command.lines);
  }
}
