import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import { collect, EventStore, EventStoreUnavailableError, ExpectedRevision, NewEvent, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { CommandCatalogue } from '../commanding/command-catalogue';
import { LEDGER_PREFIX, streamNames } from '../shared/stream-names';
import { LedgerHistory } from '../settlement/queries/ledger-history';
import { fixture } from '../../test/support/test-app';
import { ImportSession, linesOf } from './import-session';

const clock = { now: () => new Date('2026-02-01T10:00:00Z') };

function importInto(store: EventStore) {
  return new ImportSession({ store, catalogue: new CommandCatalogue(), services: new LedgerHistory(store, clock), clock }, 'sma', { importId: 'test', actor: 'test' });
}

describe('import session', () => {
  it('stops at the first line it could not write when the store fails, counting only what was written', async () => {
    const base = new SqliteEventStore({ path: ':memory:' });
    const unreachable = streamNames.scheme('sma', 'B');
    const store = Object.create(base) as EventStore;
    store.append = (streamName: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }) =>
      streamName === unreachable ? Promise.reject(new EventStoreUnavailableError('connection refused')) : base.append(streamName, events, options);

    const lines = fixture('worked-example.ndjson').trim().split('\n');
    const report = await importInto(store).run(linesOf(lines.join('\n')));

    const firstB = lines.findIndex((line) => line.includes('"schemeId":"B"')) + 1;
    expect(report).toMatchObject({ status: 'stopped', error: { line: firstB, code: 'event_store_unavailable', kind: 'unavailable' } });
    const written = await collect(base.readAll({ filter: { streamNamePrefixes: [LEDGER_PREFIX] } }));
    expect(written.some((event) => event.streamName === unreachable)).toBe(false);
    expect(report.recorded).toBe(written.length);
    expect(report.events).toBe(written.length);
    await base.close();
  });

  it('treats identical lines in one file as separate facts, and a re-run as none', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const setup = fixture('worked-example.ndjson').split('\n').slice(0, 7).join('\n');
    const hours = '{"command":"RecordHoursWorked","data":{"periodId":"2026-Q1","hours":"100"}}';
    expect(await importInto(store).run(linesOf(`${setup}\n${hours}\n${hours}`))).toMatchObject({ recorded: 9, duplicates: 0 });
    expect(await importInto(store).run(linesOf(`${setup}\n${hours}\n${hours}`))).toMatchObject({ recorded: 0, duplicates: 9 });
    const events = await collect(store.readStream(streamNames.safety('sma')));
    expect(events.map((event) => event.data.hours)).toEqual(['100', '100']);
    await store.close();
  });

  it('decides lines again when another writer keeps moving a stream, and gives up with 409 at the first unwritten line; a re-run completes it once', async () => {
    const base = new SqliteEventStore({ path: ':memory:' });
    const contended = streamNames.scheme('sma', 'B');
    let refusals = 0;
    const store = Object.create(base) as EventStore;
    store.append = (streamName: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }) => {
      if (streamName !== contended) return base.append(streamName, events, options);
      refusals += 1;
      return Promise.reject(new WrongExpectedRevisionError(streamName, options.expectedRevision, 99n));
    };

    const text = fixture('worked-example.ndjson');
    const lines = text.trim().split('\n');
    const report = await importInto(store).run(linesOf(text));

    const firstB = lines.findIndex((line) => line.includes('"schemeId":"B"')) + 1;
    expect(refusals).toBe(8);
    expect(report).toMatchObject({ status: 'stopped', error: { line: firstB, code: 'concurrency_conflict', kind: 'conflict' } });
    const written = await collect(base.readAll({ filter: { streamNamePrefixes: [LEDGER_PREFIX] } }));
    expect(report.recorded).toBe(written.length);

    const rerun = await importInto(base).run(linesOf(text));
    expect(rerun).toMatchObject({ status: 'completed', duplicates: written.length, recorded: lines.length - written.length });
    const all = await collect(base.readAll({ filter: { streamNamePrefixes: [LEDGER_PREFIX] } }));
    expect(all).toHaveLength(lines.length);
    expect(new Set(all.map((event) => event.id)).size).toBe(lines.length);
    await base.close();
  });

  it('gives the event loop back while it decides a large chunk, so other work is not held up until it ends', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const setup = fixture('worked-example.ndjson').split('\n').slice(0, 7);
    const hours = Array.from({ length: 4000 }, (_, index) => JSON.stringify({ command: 'RecordHoursWorked', commandId: `h-${index}`, data: { periodId: '2026-Q1', hours: '1' } }));
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks += 1;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    // The ticks seen as each line is decided (authorize runs once per line, before the decision).
    const seen: number[] = [];
    const session = new ImportSession(
      { store, catalogue: new CommandCatalogue(), services: new LedgerHistory(store, clock), clock, authorize: async () => void seen.push(ticks) },
      'sma',
      { importId: 'test', actor: 'test' },
    );
    const report = await session.run(linesOf([...setup, ...hours].join('\n')));
    running = false;
    expect(report).toMatchObject({ status: 'completed', recorded: 4007 });
    // 4,000 lines take far longer than one 10 ms slice to decide: other callbacks ran in between.
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[setup.length]);
    await store.close();
  });
});
