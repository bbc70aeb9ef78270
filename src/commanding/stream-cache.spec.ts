import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { EventStore } from '../event-store/event-store.port';
import { Decider, DomainEvent } from '../shared/decider';
import { StreamCache } from './stream-cache';

/** The names of the events folded, in order. */
const names: Decider<never, DomainEvent, string[]> = {
  initialState: () => [],
  evolve: (state, event) => [...state, String((event.data as { name: string }).name)],
  decide: () => [],
};

const named = (name: string) => ({ id: randomUUID(), type: 'Named', data: { name }, metadata: { commandId: `c-${name}` } });

/** The store as the cache uses it (stream reads and the local head), counting the reads. */
function counted(store: SqliteEventStore): { store: EventStore; reads: () => number } {
  let reads = 0;
  const wrapped: Pick<EventStore, 'readStream' | 'localHead'> = {
    readStream: (...args) => {
      reads += 1;
      return store.readStream(...args);
    },
    localHead: () => store.localHead(),
  };
  return { store: wrapped as EventStore, reads: () => reads };
}

describe('StreamCache', () => {
  let directory: string;
  let stores: SqliteEventStore[];
  const open = () => {
    const store = new SqliteEventStore({ path: join(directory, 'events.db') });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'stream-cache-'));
    stores = [];
  });

  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('does not read a stream again while the embedded store’s head has not moved', async () => {
    const store = open();
    await store.append('s-1', [named('a')], { expectedRevision: 'no_stream' });
    const { store: counting, reads } = counted(store);
    const cache = new StreamCache(counting);

    expect((await cache.load('s-1', names)).state).toEqual(['a']);
    expect(reads()).toBe(1);
    expect((await cache.load('s-1', names)).state).toEqual(['a']);
    expect(reads()).toBe(1);
  });

  it('reads again once anything was appended, to that stream or another', async () => {
    const store = open();
    await store.append('s-1', [named('a')], { expectedRevision: 'no_stream' });
    const { store: counting, reads } = counted(store);
    const cache = new StreamCache(counting);
    await cache.load('s-1', names);

    await store.append('s-2', [named('x')], { expectedRevision: 'no_stream' });
    expect((await cache.load('s-1', names)).state).toEqual(['a']);
    expect(reads()).toBe(2);

    await store.append('s-1', [named('b')], { expectedRevision: 0n });
    expect((await cache.load('s-1', names)).state).toEqual(['a', 'b']);
    expect(reads()).toBe(3);
  });

  it('sees what another process appended to the same file (a grant made from the CLI)', async () => {
    const service = open();
    await service.append('s-1', [named('a')], { expectedRevision: 'no_stream' });
    const cache = new StreamCache(service);
    expect((await cache.load('s-1', names)).state).toEqual(['a']);

    const cli = open();
    await cli.append('s-1', [named('b')], { expectedRevision: 0n });

    expect((await cache.load('s-1', names)).state).toEqual(['a', 'b']);
  });

  it('reads every time on a store without a local head (EventStoreDB)', async () => {
    const store = open();
    await store.append('s-1', [named('a')], { expectedRevision: 'no_stream' });
    const { store: counting, reads } = counted(store);
    delete counting.localHead;
    const cache = new StreamCache(counting);

    await cache.load('s-1', names);
    await cache.load('s-1', names);
    expect(reads()).toBe(2);
  });
});
