import { randomUUID } from 'node:crypto';
import {
  collect,
  comparePositions,
  EventIdConflictError,
  EventStore,
  InvalidPositionError,
  NewEvent,
  Position,
  StoredEvent,
  WrongExpectedRevisionError,
} from '../../src/event-store/event-store.port';

/**
 * The behaviour every EventStore adapter must have. Each test works in streams under its own
 * random prefix, so the suite also runs against a real EventStoreDB that holds other data.
 */
export function describeEventStoreContract(name: string, setup: () => Promise<EventStore>, teardown?: (store: EventStore) => Promise<void>) {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let prefix: string;

    beforeAll(async () => {
      store = await setup();
    });

    afterAll(async () => {
      if (teardown) await teardown(store);
      else await store.close();
    });

    beforeEach(() => {
      prefix = `contract-${randomUUID().slice(0, 8)}.`;
    });

    const event = (type: string, data: Record<string, unknown> = {}, id?: string): NewEvent => ({
      id,
      type,
      data,
      metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'tester', recordedAt: '2026-01-01T00:00:00.000Z', commandId: 'cmd-1' },
    });
    const readStream = (stream: string, options?: Parameters<EventStore['readStream']>[1]) => collect(store.readStream(stream, options));
    const readOwn = (options: Parameters<EventStore['readAll']>[0] = {}) =>
      collect(store.readAll({ ...options, filter: { streamNamePrefixes: [prefix], ...options.filter } }));

    describe('appending with expected revisions', () => {
      it('creates a stream at revision 0 and keeps data and metadata', async () => {
        const stream = `${prefix}a`;
        const result = await store.append(stream, [event('Opened', { amount: '12.34', nested: { ok: true } })], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(0n);
        const [stored] = await readStream(stream);
        expect(stored).toMatchObject({
          streamName: stream,
          revision: 0n,
          type: 'Opened',
          data: { amount: '12.34', nested: { ok: true } },
          metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'tester', recordedAt: '2026-01-01T00:00:00.000Z', commandId: 'cmd-1' },
        });
        expect(stored.position).toEqual(result.position);
        expect(stored.created).toBeInstanceOf(Date);
      });

      it('appends at the exact expected revision and refuses a stale one with the actual revision', async () => {
        const stream = `${prefix}a`;
        await store.append(stream, [event('One'), event('Two')], { expectedRevision: 'no_stream' });
        const third = await store.append(stream, [event('Three')], { expectedRevision: 1n });
        expect(third.nextExpectedRevision).toBe(2n);
        const stale = store.append(stream, [event('Lost')], { expectedRevision: 1n });
        await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(stale).rejects.toMatchObject({ streamName: stream, expected: 1n, actual: 2n });
        expect((await readStream(stream)).map((e) => e.type)).toEqual(['One', 'Two', 'Three']);
      });

      it('honours no_stream, stream_exists and any', async () => {
        const stream = `${prefix}a`;
        await expect(store.append(stream, [event('X')], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({ actual: 'no_stream' });
        await expect(store.append(stream, [event('X')], { expectedRevision: 5n })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await store.append(stream, [event('A')], { expectedRevision: 'any' });
        await expect(store.append(stream, [event('X')], { expectedRevision: 'no_stream' })).rejects.toMatchObject({ actual: 0n });
        await store.append(stream, [event('B')], { expectedRevision: 'stream_exists' });
        await store.append(stream, [event('C')], { expectedRevision: 'any' });
        expect((await readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('lets exactly one of two racing writers at the same revision win', async () => {
        const stream = `${prefix}a`;
        await store.append(stream, [event('Start')], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 5 }, (_, index) => store.append(stream, [event(`Writer${index}`)], { expectedRevision: 0n })),
        );
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        expect(await readStream(stream)).toHaveLength(2);
      });

      it('treats a retried append with the same event ids as done, without writing twice', async () => {
        const stream = `${prefix}a`;
        const batch = [event('First', {}, randomUUID()), event('Second', {}, randomUUID())];
        const first = await store.append(stream, batch, { expectedRevision: 'no_stream' });
        const retry = await store.append(stream, batch, { expectedRevision: 'no_stream' });
        expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
        const anyRetry = await store.append(stream, batch, { expectedRevision: 'any' });
        expect(anyRetry.nextExpectedRevision).toBe(first.nextExpectedRevision);
        const stored = await readStream(stream);
        expect(stored.map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });
      it('acknowledges a retry at the revision it was first made at, and refuses one the expected revision puts elsewhere', async () => {
        const stream = `${prefix}a`;
        await store.append(stream, [event('First', {}, randomUUID())], { expectedRevision: 'no_stream' });
        const second = [event('Second', {}, randomUUID())];
        const first = await store.append(stream, second, { expectedRevision: 0n });
        await store.append(stream, [event('Third')], { expectedRevision: 1n });
        expect((await store.append(stream, second, { expectedRevision: 0n })).nextExpectedRevision).toBe(first.nextExpectedRevision);
        await expect(store.append(stream, second, { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect((await readStream(stream)).map((e) => e.type)).toEqual(['First', 'Second', 'Third']);
      });

      // A batch that starts like an earlier one and then differs. EventStoreDB calls it
      // "CorruptedIdempotency" and answers WrongExpectedVersion (IndexWriter.CheckCommit and
      // StorageWriterService in EventStore/EventStore; its docs: "Some of the events were previously
      // committed - this is considered a bad request"). The port names it: EventIdConflictError.
      it.each([['any' as const], ['no_stream' as const], [0n]])('refuses a partly duplicate batch (expected revision %p) and writes nothing', async (expectedRevision) => {
        const stream = `${prefix}a`;
        const written = [event('Zeroth', {}, randomUUID()), event('First', {}, randomUUID())];
        await store.append(stream, [written[0]], { expectedRevision: 'no_stream' });
        await store.append(stream, [written[1]], { expectedRevision: 0n });
        // The batch's first event is the one just after the expected revision (anywhere, for any).
        const repeated = expectedRevision === 0n ? written[1] : written[0];
        const partly = [repeated, event('Different', {}, randomUUID())];
        const refused = store.append(stream, partly, { expectedRevision });
        await expect(refused).rejects.toBeInstanceOf(EventIdConflictError);
        await expect(refused).rejects.toMatchObject({ streamName: stream, eventId: repeated.id });
        expect((await readStream(stream)).map((e) => e.type)).toEqual(['Zeroth', 'First']);
      });
    });

    describe('reading a stream', () => {
      it('reads forwards and backwards from a revision, with a maximum count', async () => {
        const stream = `${prefix}a`;
        await store.append(stream, ['E0', 'E1', 'E2', 'E3', 'E4'].map((type) => event(type)), { expectedRevision: 'no_stream' });
        expect((await readStream(stream, { fromRevision: 2n })).map((e) => e.type)).toEqual(['E2', 'E3', 'E4']);
        expect((await readStream(stream, { fromRevision: 1n, maxCount: 2 })).map((e) => e.type)).toEqual(['E1', 'E2']);
        expect((await readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 2 })).map((e) => e.type)).toEqual(['E4', 'E3']);
        expect((await readStream(stream, { direction: 'backwards', fromRevision: 2n })).map((e) => e.revision)).toEqual([2n, 1n, 0n]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await readStream(`${prefix}missing`)).toEqual([]);
        expect(await readStream(`${prefix}missing`, { direction: 'backwards', fromRevision: 'end' })).toEqual([]);
      });
    });

    describe('reading all events', () => {
      it('returns every stream’s events in one strictly increasing global order', async () => {
        await store.append(`${prefix}a`, [event('A1')], { expectedRevision: 'any' });
        await store.append(`${prefix}b`, [event('B1'), event('B2')], { expectedRevision: 'any' });
        await store.append(`${prefix}a`, [event('A2')], { expectedRevision: 'any' });
        const all = await readOwn();
        expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
        expectIncreasing(all);
        const backwards = await readOwn({ direction: 'backwards', fromPosition: 'end' });
        expect(backwards.map((e) => e.type)).toEqual(['A2', 'B2', 'B1', 'A1']);
      });

      it('reads forwards from a position inclusively and backwards from it exclusively', async () => {
        await store.append(`${prefix}a`, ['P0', 'P1', 'P2', 'P3'].map((type) => event(type)), { expectedRevision: 'any' });
        const all = await readOwn();
        const from = all[2].position;
        expect((await readOwn({ fromPosition: from })).map((e) => e.type)).toEqual(['P2', 'P3']);
        expect((await readOwn({ fromPosition: from, direction: 'backwards' })).map((e) => e.type)).toEqual(['P1', 'P0']);
        expect((await readOwn({ fromPosition: from, maxCount: 1 })).map((e) => e.type)).toEqual(['P2']);
      });

      it('filters by stream name prefix and by event type', async () => {
        await store.append(`${prefix}scheme.1`, [event('CostRecorded'), event('Completed')], { expectedRevision: 'any' });
        await store.append(`${prefix}safety`, [event('CostRecorded'), event('Incident')], { expectedRevision: 'any' });
        const schemes = await collect(store.readAll({ filter: { streamNamePrefixes: [`${prefix}scheme.`] } }));
        expect(schemes.map((e) => `${e.streamName}:${e.type}`)).toEqual([`${prefix}scheme.1:CostRecorded`, `${prefix}scheme.1:Completed`]);
        const costs = await readOwn({ filter: { eventTypes: ['CostRecorded'] } });
        expect(costs.map((e) => e.streamName)).toEqual([`${prefix}scheme.1`, `${prefix}safety`]);
        const head = await store.headPosition({ streamNamePrefixes: [prefix] });
        expect(head).toEqual((await readOwn()).pop()!.position);
      });
      it('counts maxCount over events matching both a stream prefix and an event type', async () => {
        // EventStoreDB filters a $all read on one thing only, a stream-name or an event-type
        // expression (ReadReq.Options.FilterOptions' `oneof filter` in EventStore/EventStore
        // src/Protos/Grpc/streams.proto), and counts maxCount over what passed that filter
        // (readCount in src/EventStore.Core/Services/Transport/Enumerators/
        // Enumerator.ReadAllForwardsFiltered.cs). So the part of a filter checked on the client
        // must not have its page cut short by a count the server applied before it.
        await store.append(`${prefix}a`, ['A', 'B', 'A', 'B', 'A', 'B'].map((type, index) => event(type, { index })), { expectedRevision: 'no_stream' });
        const all = await readOwn();
        const page = await readOwn({ filter: { eventTypes: ['B'] }, maxCount: 2 });
        expect(page.map((e) => e.data.index)).toEqual([1, 3]);
        const fromEnd = await readOwn({ direction: 'backwards', fromPosition: 'end', filter: { eventTypes: ['A'] }, maxCount: 2 });
        expect(fromEnd.map((e) => e.data.index)).toEqual([4, 2]);
        expect(await store.headPosition({ streamNamePrefixes: [prefix], eventTypes: ['A'] })).toEqual(all[4].position);
      });
    });

    describe('reading from a position', () => {
      // FromPosition on the port. EventStoreDB (EventStore/EventStore at v24.10.0) reads $all by
      // repositioning its chunk reader at the commit position: where no record starts there,
      // TFChunkReadSide throws InvalidReadException, StorageReaderWorker.ReadAllEventsForward answers
      // ReadAllResult.InvalidPosition, and the read enumerators (Enumerator.ReadAllForwardsFiltered,
      // which has no case for it) send UNKNOWN "Unexpected FilteredReadAllResult: InvalidPosition";
      // a subscription's catch-up sends RpcExceptions.InvalidPositionException. One byte past an
      // event's commit position is inside a record; to the embedded store it is a pair it never
      // gives out. An event after it keeps it before the end of the log, where a subscription reads.
      it('refuses a position it could not have given out, naming it, in reads both ways and in a subscription', async () => {
        await store.append(`${prefix}a`, [event('Q0'), event('Q1')], { expectedRevision: 'no_stream' });
        await store.append(`${prefix}a`, [event('Q2')], { expectedRevision: 1n });
        const [first] = await readOwn({ maxCount: 1 });
        const inside = { commit: first.position.commit + 1n, prepare: first.position.prepare };
        for (const direction of ['forwards', 'backwards'] as const) {
          const refused = collect(store.readAll({ direction, fromPosition: inside, filter: { streamNamePrefixes: [prefix] } }));
          await expect(refused).rejects.toBeInstanceOf(InvalidPositionError);
          await expect(refused).rejects.toMatchObject({ position: inside });
        }
        const subscription = store.subscribeToAll({ fromPosition: inside, filter: { streamNamePrefixes: [prefix] } });
        try {
          await expect(collect(subscription, 1)).rejects.toMatchObject({ name: 'InvalidPositionError', position: inside });
        } finally {
          await subscription.stop();
        }
      });

      // Forwards, EventStoreDB's AllReader stops at once past its last indexed position and reads
      // nothing. Backwards, its TFChunkReader.TryReadPrev throws "greater than writer checkpoint",
      // answered as "Unexpected FilteredReadAllResult: Error"; the port reads that as the end.
      it('reads a position past the end of the log as the end: forwards nothing, backwards every event', async () => {
        await store.append(`${prefix}a`, [event('R0'), event('R1')], { expectedRevision: 'no_stream' });
        const far = { commit: 2n ** 62n, prepare: 2n ** 62n };
        expect(await readOwn({ fromPosition: far })).toEqual([]);
        expect((await readOwn({ direction: 'backwards', fromPosition: far })).map((e) => e.type)).toEqual(['R1', 'R0']);
        expect((await readOwn({ direction: 'backwards', fromPosition: far, maxCount: 1 })).map((e) => e.type)).toEqual(['R1']);
      });
    });

    describe('subscribing to all', () => {
      it('catches up, goes live, and resumes from a checkpoint without a gap or a duplicate', async () => {
        const stream = `${prefix}a`;
        const filter = { streamNamePrefixes: [prefix] };
        await store.append(stream, ['S0', 'S1', 'S2'].map((type) => event(type)), { expectedRevision: 'any' });

        const first = store.subscribeToAll({ fromPosition: 'start', filter });
        const received: StoredEvent[] = [];
        let checkpoint: Position | undefined;
        const live = (async () => {
          for await (const stored of first) {
            received.push(stored);
            checkpoint = stored.position;
            if (stored.type === 'S3') {
              await store.append(stream, [event('S4')], { expectedRevision: 'any' });
              break;
            }
            if (stored.type === 'S2') await store.append(stream, [event('S3')], { expectedRevision: 'any' });
          }
        })();
        await live;
        await first.stop();
        expect(received.map((e) => e.type)).toEqual(['S0', 'S1', 'S2', 'S3']);

        await store.append(stream, [event('S5')], { expectedRevision: 'any' });
        const resumed = store.subscribeToAll({ fromPosition: checkpoint!, filter });
        const rest: StoredEvent[] = [];
        for await (const stored of resumed) {
          rest.push(stored);
          if (stored.type === 'S6') break;
          if (stored.type === 'S5') await store.append(stream, [event('S6')], { expectedRevision: 'any' });
        }
        await resumed.stop();
        expect(rest.map((e) => e.type)).toEqual(['S4', 'S5', 'S6']);
        expectIncreasing([...received, ...rest]);
      });

      it('delivers only events matching its filter', async () => {
        await store.append(`${prefix}other`, [event('Noise')], { expectedRevision: 'any' });
        await store.append(`${prefix}wanted`, [event('Signal')], { expectedRevision: 'any' });
        const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [`${prefix}wanted`] } });
        const [first] = await collect(subscription, 1);
        await subscription.stop();
        expect(first).toMatchObject({ streamName: `${prefix}wanted`, type: 'Signal' });
      });
    });
  });
}

function expectIncreasing(events: StoredEvent[]): void {
  for (let index = 1; index < events.length; index += 1) {
    expect(comparePositions(events[index - 1].position, events[index].position)).toBe(-1);
  }
}
