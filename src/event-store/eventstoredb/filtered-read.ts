import { EventStoreDBClient, Position as EsdbPosition } from '@eventstore/db-client';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { CancellableRead } from './client-reads';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';

export interface FilteredReadOptions {
  direction: 'forwards' | 'backwards';
  fromPosition: EsdbPosition | 'start' | 'end';
  maxCount: number;
  filter?: { on: 'stream' | 'type'; prefixes?: string[]; regex?: string };
}

/** The client's internals this module relies on (pinned @eventstore/db-client 6.2.1). */
interface ClientInternals {
  GRPCStreamCreator(client: typeof StreamsClient, name: string, creator: (grpc: InstanceType<typeof StreamsClient>) => unknown): () => Promise<unknown>;
  callArguments(options: { deadline?: number }, callOptions?: { deadline?: number }): unknown[];
}

/**
 * A `$all` read with a server-side filter. The client's readAll always sends NoFilter, so this
 * builds the same ReadReq with FilterOptions (as its subscribeToAll does) and sends it through
 * the client's own channel, credentials and reconnection handling.
 */
export function readAllFiltered(client: EventStoreDBClient, options: FilteredReadOptions): CancellableRead {
  const all = new ReadReq.Options.AllOptions();
  if (options.fromPosition === 'start') all.setStart(new Empty());
  else if (options.fromPosition === 'end') all.setEnd(new Empty());
  else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(options.fromPosition.commit.toString(10));
    position.setPreparePosition(options.fromPosition.prepare.toString(10));
    all.setPosition(position);
  }
  const uuid = new ReadReq.Options.UUIDOption();
  uuid.setString(new Empty());
  const readOptions = new ReadReq.Options();
  readOptions.setAll(all);
  readOptions.setResolveLinks(false);
  readOptions.setCount(String(options.maxCount));
  readOptions.setUuidOption(uuid);
  readOptions.setReadDirection(options.direction === 'backwards' ? ReadReq.Options.ReadDirection.BACKWARDS : ReadReq.Options.ReadDirection.FORWARDS);
  if (options.filter) {
    const expression = new ReadReq.Options.FilterOptions.Expression();
    if (options.filter.prefixes) expression.setPrefixList(options.filter.prefixes);
    if (options.filter.regex) expression.setRegex(options.filter.regex);
    const filter = new ReadReq.Options.FilterOptions();
    if (options.filter.on === 'stream') filter.setStreamIdentifier(expression);
    else filter.setEventType(expression);
    filter.setCount(new Empty());
    filter.setCheckpointintervalmultiplier(1);
    readOptions.setFilter(filter);
  } else {
    readOptions.setNoFilter(new Empty());
  }
  const request = new ReadReq();
  request.setOptions(readOptions);

  const internals = client as unknown as ClientInternals;
  // No gRPC deadline, as for the client's own reads: a long read is not a failed one. readEvents
  // (client-reads.ts) bounds each wait for the server instead.
  const createStream = internals.GRPCStreamCreator(StreamsClient, 'readAllFiltered', (grpc) =>
    grpc.read(request, ...(internals.callArguments({}, { deadline: Infinity }) as [never, never])),
  );
  return new ReadStream(createStream as never, convertGrpcEvent, {}) as unknown as CancellableRead;
}
