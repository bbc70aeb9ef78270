import { NewEvent } from '../event-store/event-store.port';
import { conflict } from '../shared/domain-error';
import { AllianceContext, AllianceScopedDto, AnyCommandDefinition } from './command-definition';
import { CommandMetadata, eventIdFor } from './command-metadata';
import { LoadedStream } from './loaded-stream';

export type Decision = { outcome: 'duplicate' } | { outcome: 'unchanged' } | { outcome: 'recorded'; events: NewEvent[] };

export interface DecisionInput {
  definition: AnyCommandDefinition;
  request: AllianceScopedDto;
  context: AllianceContext;
  prepared: unknown;
  target: LoadedStream<unknown>;
  metadata: CommandMetadata & { commandId: string };
  digest: string;
  recordedAt: string;
}

/**
 * The step every way of running a command shares: a command id already in the stream is a retry
 * (or, with other content, a misuse); otherwise the decider judges the command against the stream,
 * and its events are stamped with who, when and why.
 */
export function decideCommand({ definition, request, context, prepared, target, metadata, digest, recordedAt }: DecisionInput): Decision {
  const seen = target.commands.get(metadata.commandId);
  if (seen !== undefined) {
    if (seen !== digest) throw conflict('command_id_reused', 'commandId', 'was already used for a different command');
    return { outcome: 'duplicate' };
  }
  const decided = definition.decider.decide(definition.toCommand(request, context, prepared, metadata.actor, recordedAt), target.state);
  if (decided.length === 0) return { outcome: 'unchanged' };
  return {
    outcome: 'recorded',
    events: decided.map((event: { type: string; data: Record<string, unknown> }, index: number) => ({
      id: eventIdFor(context.allianceId, metadata.commandId, index),
      type: event.type,
      data: event.data,
      metadata: {
        command: definition.name,
        commandId: metadata.commandId,
        commandDigest: digest,
        correlationId: metadata.correlationId ?? metadata.commandId,
        causationId: metadata.causationId ?? metadata.commandId,
        actor: metadata.actor,
        recordedAt,
      },
    })),
  };
}
