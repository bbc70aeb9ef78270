// The double's log records, and how they travel as the client's protobuf messages.
import { AppendReq, BatchAppendReq, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';

/** One record of the double's log, as EventStoreDB keeps it. */
export interface LogRecord {
  streamName: string;
  revision: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** .NET ticks (100 ns since 0001-01-01), as the server sends "created". */
  created: bigint;
  commit: bigint;
  prepare: bigint;
}

export interface Proposal {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export interface Filter {
  on: 'stream' | 'type';
  prefixes: string[];
  regex: RegExp | null;
}

export type WirePosition = { commit: bigint; prepare: bigint };
/** A filter as the client sent it. */
export type SentFilter = { on: 'stream' | 'type'; prefixes: string[]; regex: string | null } | null;

export function compare(record: { commit: bigint; prepare: bigint }, position: { commit: bigint; prepare: bigint }): number {
  if (record.commit !== position.commit) return record.commit < position.commit ? -1 : 1;
  if (record.prepare !== position.prepare) return record.prepare < position.prepare ? -1 : 1;
  return 0;
}

export function filterOf(options: ReadReq.Options): Filter | null {
  if (!options.hasFilter()) return null;
  const filter = options.getFilter()!;
  const expression = filter.hasStreamIdentifier() ? filter.getStreamIdentifier()! : filter.getEventType()!;
  return { on: filter.hasStreamIdentifier() ? 'stream' : 'type', prefixes: expression.getPrefixList(), regex: expression.getRegex() ? new RegExp(expression.getRegex()) : null };
}

export function sentFilterOf(options: ReadReq.Options): SentFilter {
  const filter = filterOf(options);
  return filter && { on: filter.on, prefixes: filter.prefixes, regex: filter.regex?.source ?? null };
}

export function matches(filter: Filter | null, record: LogRecord): boolean {
  if (!filter) return true;
  const subject = filter.on === 'stream' ? record.streamName : record.type;
  if (filter.prefixes.length > 0) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
  return filter.regex ? filter.regex.test(subject) : true;
}

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier!.getStreamName_asU8()).toString('utf8');
}

export function uuidOf(uuid: UUID | undefined): string {
  return uuid?.getString() ?? '';
}

export function proposalOf(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): Proposal {
  const metadata = message.getMetadataMap();
  return {
    id: uuidOf(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

export function eventResponse(record: LogRecord, withCommitPosition: boolean): ReadResp {
  const event = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(record.id))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(record.streamName)))
    .setStreamRevision(record.revision.toString())
    .setPreparePosition(record.prepare.toString())
    .setCommitPosition(record.commit.toString())
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  event.getMetadataMap().set('type', record.type).set('content-type', record.contentType).set('created', record.created.toString());
  const read = new ReadResp.ReadEvent().setEvent(event);
  if (withCommitPosition) read.setCommitPosition(record.commit.toString());
  else read.setNoPosition(new Empty());
  return new ReadResp().setEvent(read);
}
