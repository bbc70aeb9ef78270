import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import { describeEventStoreContract } from './event-store.contract';

const directory = mkdtempSync(join(tmpdir(), 'ledger-contract-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeEventStoreContract('embedded SQLite', async () => new SqliteEventStore({ path: join(directory, 'events.db'), pollIntervalMs: 20 }));
