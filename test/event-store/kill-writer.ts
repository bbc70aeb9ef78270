// Child process for the hard-kill test: appends as fast as it can and prints the id of every
// event whose append was acknowledged, until it is killed.
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';

const store = new SqliteEventStore({ path: process.argv[2] });

async function writer(stream: string, batchSize: number): Promise<void> {
  let revision: bigint | 'no_stream' = 'no_stream';
  for (;;) {
    const events = Array.from({ length: batchSize }, () => ({ id: randomUUID(), type: 'Tick', data: { at: Date.now() } }));
    const result = await store.append(stream, events, { expectedRevision: revision });
    revision = result.nextExpectedRevision;
    process.stdout.write(events.map((event) => `${event.id}\n`).join(''));
  }
}

void Promise.all([writer('kill.single-a', 1), writer('kill.single-b', 1), writer('kill.batch', 25)]);
