import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import { collect, EventIdConflictError, WrongExpectedRevisionError } from '../../src/event-store/event-store.port';

describe('embedded SQLite event store', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ledger-embedded-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('groups appends made in the same tick into one commit, each judged on its own', async () => {
    const store = new SqliteEventStore({ path: join(directory, 'events.db') });
    await store.append('s.taken', [{ type: 'Existing', data: {} }], { expectedRevision: 'no_stream' });
    const outcomes = await Promise.allSettled([
      store.append('s.one', [{ type: 'A', data: {} }], { expectedRevision: 'no_stream' }),
      store.append('s.taken', [{ type: 'Refused', data: {} }], { expectedRevision: 'no_stream' }),
      store.append('s.two', [{ type: 'B', data: {} }, { type: 'C', data: {} }], { expectedRevision: 'no_stream' }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    const all = await collect(store.readAll());
    expect(all.map((event) => [event.position.commit, event.type])).toEqual([
      [1n, 'Existing'],
      [2n, 'A'],
      [3n, 'B'],
      [4n, 'C'],
    ]);
    await store.close();
  });

  it('refuses an append that reuses some event ids of a different append', async () => {
    const store = new SqliteEventStore({ path: join(directory, 'events.db') });
    const reused = randomUUID();
    await store.append('s.a', [{ id: reused, type: 'A', data: {} }], { expectedRevision: 'any' });
    await expect(store.append('s.a', [{ id: randomUUID(), type: 'B', data: {} }, { id: reused, type: 'A', data: {} }], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
      EventIdConflictError,
    );
    await expect(store.append('s.b', [{ id: reused, type: 'A', data: {} }], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
    expect(await collect(store.readAll())).toHaveLength(1);
    await store.close();
  });

  it('lets a subscription see events another process wrote to the same file', async () => {
    const path = join(directory, 'events.db');
    const reader = new SqliteEventStore({ path, pollIntervalMs: 10 });
    const writer = new SqliteEventStore({ path });
    const subscription = reader.subscribeToAll();
    const first = collect(subscription, 1);
    await writer.append('s.elsewhere', [{ type: 'Written', data: {} }], { expectedRevision: 'any' });
    expect((await first)[0].type).toBe('Written');
    await subscription.stop();
    await Promise.all([reader.close(), writer.close()]);
  });

  it('finds the newest event matching a filter after its own appends and another process\'s, whichever filters were asked in between', async () => {
    const path = join(directory, 'events.db');
    const reader = new SqliteEventStore({ path });
    const writer = new SqliteEventStore({ path });
    const costs = { streamNamePrefixes: ['a.'], eventTypes: ['Cost'] };
    const anything = { streamNamePrefixes: ['a.'] };
    expect(await reader.headPosition(costs)).toBeNull();
    const first = await reader.append('a.1', [{ type: 'Cost', data: {} }], { expectedRevision: 'any' });
    expect(await reader.headPosition(costs)).toEqual(first.position);
    const other = await writer.append('a.2', [{ type: 'Other', data: {} }], { expectedRevision: 'any' });
    expect(await reader.headPosition(anything)).toEqual(other.position);
    expect(await reader.headPosition(costs)).toEqual(first.position);
    const second = await writer.append('a.2', [{ type: 'Cost', data: {} }], { expectedRevision: 'any' });
    expect(await reader.headPosition(costs)).toEqual(second.position);
    expect(await reader.headPosition({ streamNamePrefixes: ['a.1'], eventTypes: ['Cost'] })).toEqual(first.position);
    await Promise.all([reader.close(), writer.close()]);
  });

  it('looks its head up once a turn of the event loop: its own commits show at once, another connection\'s from the next turn', async () => {
    const path = join(directory, 'events.db');
    const store = new SqliteEventStore({ path });
    const first = await store.append('a.1', [{ type: 'A', data: {} }], { expectedRevision: 'any' });
    expect(store.localHead()).toBe(first.position.commit);
    // Another connection (another process, say) commits in the middle of this turn.
    const other = new Database(path);
    other
      .prepare('INSERT INTO events (event_id, stream, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(randomUUID(), 'b.1', 0, 'B', '{}', '{}', new Date().toISOString());
    other.close();
    expect(store.localHead()).toBe(first.position.commit);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.localHead()).toBe(first.position.commit + 1n);
    expect(await store.headPosition()).toEqual({ commit: first.position.commit + 1n, prepare: first.position.commit + 1n });
    // Its own commit clears what it looked up, within the turn of the commit: the append is queued
    // first, so the head is looked up (and its end-of-turn forgetting queued) after the flush is.
    await new Promise((resolve) => setImmediate(resolve));
    const own = store.append('a.1', [{ type: 'A', data: {} }], { expectedRevision: 'any' });
    expect(store.localHead()).toBe(first.position.commit + 1n);
    const written = await own;
    expect(written.position.commit).toBe(first.position.commit + 2n);
    expect(store.localHead()).toBe(written.position.commit);
    await store.close();
  });

  it('loses no acknowledged event when the writing process is killed mid-stream', async () => {
    const path = join(directory, 'events.db');
    const acknowledged: string[] = [];
    const child = spawn(process.execPath, ['-r', './scripts/register.js', 'test/event-store/kill-writer.ts', path], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        acknowledged.push(...lines);
        if (acknowledged.length >= 3000 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));

    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT position, event_id, stream, revision FROM events ORDER BY position').all() as Array<{
      position: number;
      event_id: string;
      stream: string;
      revision: number;
    }>;
    db.close();
    const stored = new Set(rows.map((row) => row.event_id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(rows.map((row) => row.position)).toEqual(rows.map((_, index) => index + 1));
    const revisions = new Map<string, number>();
    for (const row of rows) {
      expect(row.revision).toBe((revisions.get(row.stream) ?? -1) + 1);
      revisions.set(row.stream, row.revision);
    }
  });
});
