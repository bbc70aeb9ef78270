import { createHash } from 'node:crypto';
import { EventStoreDBClient, FORWARDS, jsonEvent, START, WrongExpectedVersionError } from '@eventstore/db-client';
import { allianceOfStream } from '../../shared/stream-names';
import { collect, EventIdConflictError, NewEvent } from '../event-store.port';
import { readEvents } from './client-reads';

/** Claims live outside the `ledger.` prefix, so the history, projections and digests never see them. */
export const CLAIM_PREFIX = 'ledger-command-ids.';

/** Ids the importer derives from a line's own content: the same id always means the same command. */
const CONTENT_DERIVED = /^line:/;

export function claimStreamName(allianceId: string, commandId: string): string {
  return `${CLAIM_PREFIX}${allianceId}.${createHash('sha256').update(commandId).digest('hex').slice(0, 40)}`;
}

/**
 * EventStoreDB keeps event ids unique only within a stream. A command id must be unique across
 * all of an alliance's streams, so before its events are appended the command claims its id: one
 * event in a stream named by the alliance and the id, appended only if that stream does not exist.
 * A claim already there with the same command digest is this command's own (a retry, or an append
 * that failed after claiming); with another digest it is a reuse, refused as the embedded store
 * refuses it (EventIdConflictError → 409 command_id_reused). Exact across instances: the server
 * decides which `no_stream` append wins.
 */
export async function claimCommandIds(client: EventStoreDBClient, streamName: string, events: readonly NewEvent[], deadline: number): Promise<void> {
  const allianceId = allianceOfStream(streamName);
  if (!allianceId) return;
  // Each command's id and digest, with the id of its first event (what a refusal names).
  const claims = new Map<string, { digest: string; eventId: string }>();
  for (const event of events) {
    const { commandId, commandDigest } = (event.metadata ?? {}) as { commandId?: unknown; commandDigest?: unknown };
    if (typeof commandId !== 'string' || typeof commandDigest !== 'string' || CONTENT_DERIVED.test(commandId) || claims.has(commandId)) continue;
    claims.set(commandId, { digest: commandDigest, eventId: event.id ?? commandId });
  }
  const outcomes = await Promise.allSettled([...claims].map(([commandId, { digest, eventId }]) => claim(client, allianceId, commandId, digest, streamName, eventId, deadline)));
  // The earliest command of the batch that was refused is the one to report.
  const refused = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (refused) throw refused.reason;
}

async function claim(client: EventStoreDBClient, allianceId: string, commandId: string, digest: string, streamName: string, eventId: string, deadline: number): Promise<void> {
  const claimStream = claimStreamName(allianceId, commandId);
  try {
    await client.appendToStream(claimStream, jsonEvent({ type: 'CommandIdClaimed', data: { allianceId, commandId, commandDigest: digest, streamName } }), {
      expectedRevision: 'no_stream',
      deadline,
      requiresLeader: true,
    });
    return;
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
  }
  const held = await firstClaim(client, claimStream, deadline);
  if (held?.commandDigest !== digest) throw new EventIdConflictError(streamName, eventId);
}

async function firstClaim(client: EventStoreDBClient, claimStream: string, deadline: number): Promise<{ commandDigest?: string } | undefined> {
  const read = client.readStream(claimStream, { direction: FORWARDS, fromRevision: START, maxCount: 1, requiresLeader: true });
  const [first] = await collect(readEvents(read, (resolved) => resolved.event?.data as { commandDigest?: string } | undefined, { deadlineMs: deadline }));
  return first;
}
