import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { allianceDecider, AllianceState } from '../alliance/domain/alliance.decider';
import { EVENT_STORE, EventStore, NewEvent, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { periodsDecider } from '../periods/domain/periods.decider';
import { canonicalJson } from '../shared/canonical-json';
import { Clock, CLOCK } from '../shared/clock';
import { conflict, DomainError } from '../shared/domain-error';
import { streamNames } from '../shared/stream-names';
import { validateDto } from '../shared/validation';
import { CommandCatalogue } from './command-catalogue';
import { AllianceContext, AllianceScopedDto, AnyCommandDefinition, CommandServices } from './command-definition';
import { CommandMetadata, commandDigest } from './command-metadata';
import { decideCommand } from './decide-command';
import { expectedRevisionOf, fold, LoadedStream } from './loaded-stream';
import { KeyedLock } from './keyed-lock';
import { asDomainError } from './store-errors';
import { StreamCache } from './stream-cache';

export const COMMAND_SERVICES = Symbol('CommandServices');

export interface RecordedEventSummary {
  eventId: string;
  type: string;
  revision: string;
}

export interface CommandResult {
  command: string;
  commandId: string;
  /** recorded: new events; unchanged: the state already said so; duplicate: this command id was already applied. */
  outcome: 'recorded' | 'unchanged' | 'duplicate';
  streamName: string;
  /** The stream's revision after the command; usable as an ETag / If-Match. */
  revision: string | null;
  events: RecordedEventSummary[];
}

const MAX_ATTEMPTS = 5;

/**
 * Load, fold, decide, append with the expected revision. A conflict with another writer is
 * retried on fresh state a bounded number of times, then answered as a 409.
 */
@Injectable()
export class CommandExecutor {
  private readonly locks = new KeyedLock();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMMAND_SERVICES) private readonly services: CommandServices,
    private readonly catalogue: CommandCatalogue,
    private readonly cache: StreamCache,
  ) {}

  async execute(name: string, data: unknown, metadata: CommandMetadata): Promise<CommandResult> {
    const definition = this.catalogue.get(name);
    const request = validateDto(definition.dto, data) as AllianceScopedDto;
    const commandId = metadata.commandId ?? randomUUID();
    const digest = commandDigest(definition.name, canonicalJson(request));
    const streamName = definition.stream(request);
    return this.locks.run(streamName, () => this.decideAndAppend(definition, request, { ...metadata, commandId }, digest, streamName));
  }

  private async loadContext(allianceId: string): Promise<AllianceContext> {
    const [alliance, periods, totals] = await Promise.all([
      this.cache.load(streamNames.alliance(allianceId), allianceDecider),
      this.cache.load(streamNames.periods(allianceId), periodsDecider),
      this.services.allianceTotals(allianceId),
    ]);
    return { allianceId, alliance: alliance.state as AllianceState, periods: periods.state, totals };
  }

  private async decideAndAppend(
    definition: AnyCommandDefinition,
    request: AllianceScopedDto,
    metadata: CommandMetadata & { commandId: string },
    digest: string,
    streamName: string,
  ): Promise<CommandResult> {
    const base = { command: definition.name, commandId: metadata.commandId, streamName };
    for (let attempt = 1; ; attempt += 1) {
      try {
        const context = await this.loadContext(request.allianceId);
        const prepared = definition.prepare ? await definition.prepare(request, this.services) : undefined;
        const target = await this.cache.load(streamName, definition.decider);
        const isRetry = target.commands.has(metadata.commandId);
        if (!isRetry && metadata.expectedRevision !== undefined && metadata.expectedRevision !== target.revision) {
          throw staleRevision(streamName, metadata.expectedRevision, target.revision);
        }
        const recordedAt = this.clock.now().toISOString();
        const decision = decideCommand({ definition, request, context, prepared, target, metadata, digest, recordedAt });
        if (decision.outcome !== 'recorded') return { ...base, outcome: decision.outcome, revision: revisionText(target), events: [] };
        const { events } = decision;
        const result = await this.store.append(streamName, events, { expectedRevision: expectedRevisionOf(target) });
        this.services.appended?.(request.allianceId, streamName, events, result);
        this.remember(target, definition, events, result.nextExpectedRevision);
        return {
          ...base,
          outcome: 'recorded',
          revision: result.nextExpectedRevision.toString(),
          events: events.map((event, index) => ({
            eventId: event.id!,
            type: event.type,
            revision: (result.nextExpectedRevision - BigInt(events.length - 1 - index)).toString(),
          })),
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw asDomainError(error);
        this.cache.forget(streamName);
        if (metadata.expectedRevision !== undefined) throw staleRevision(streamName, metadata.expectedRevision, error.actual);
        if (attempt >= MAX_ATTEMPTS) {
          throw conflict('concurrency_conflict', 'revision', `stream ${streamName} kept changing under ${MAX_ATTEMPTS} attempts; retry the command`);
        }
        // Jittered back-off, so writers contending for one stream stop colliding in step.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
      }
    }
  }

  /** Folds what was just appended into the cached stream, unless something else got there in between. */
  private remember(target: LoadedStream<unknown>, definition: AnyCommandDefinition, events: NewEvent[], lastRevision: bigint): void {
    const firstRevision = lastRevision - BigInt(events.length - 1);
    if (firstRevision !== target.revision + 1n) {
      this.cache.forget(target.streamName);
      return;
    }
    events.forEach((event, index) => fold(target, definition.decider, { ...event, metadata: event.metadata!, revision: firstRevision + BigInt(index) }));
  }
}

function revisionText(target: LoadedStream<unknown>): string | null {
  return target.revision < 0n ? null : target.revision.toString();
}

function staleRevision(streamName: string, expected: bigint, actual: bigint | 'no_stream'): DomainError {
  const current = actual === 'no_stream' || actual < 0n ? 'none (the stream does not exist)' : actual.toString();
  return new DomainError('stale_revision', 'stale', `stream ${streamName} is at revision ${current}, not ${expected}`, [
    { field: 'If-Match', reason: `expected revision ${expected} but the stream is at ${current}` },
  ]);
}
