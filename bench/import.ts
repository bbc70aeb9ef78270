import { join } from 'node:path';
import { CommandCatalogue } from '../src/commanding/command-catalogue';
import { SqliteEventStore } from '../src/event-store/embedded/sqlite-event-store';
import { ImportSession } from '../src/imports/import-session';
import { LedgerHistory } from '../src/settlement/queries/ledger-history';
import { systemClock } from '../src/shared/clock';
import { fmt } from './appends';
import { benchLines } from './ledger-lines';
import { report, timed } from './report';

/** Imports `costs` cost lines over `schemes` schemes into a fresh embedded store; returns the store's path. */
export async function importBenchLedger(path: string, schemes: number, costs: number, synchronous: 'full' | 'normal'): Promise<{ seconds: number; lines: number }> {
  const store = new SqliteEventStore({ path, synchronous });
  const session = new ImportSession({ store, catalogue: new CommandCatalogue(), services: new LedgerHistory(store, systemClock), clock: systemClock }, 'bench', {
    importId: 'bench',
    actor: 'bench',
  });
  let lines = 0;
  async function* source() {
    for (const line of benchLines(schemes, costs)) {
      lines += 1;
      yield line;
    }
  }
  let result;
  const seconds = await timed(async () => {
    result = await session.run(source());
  });
  await store.close();
  if (result!.error) throw new Error(result!.error.message);
  return { seconds, lines };
}

export async function benchImport(directory: string, synchronous: 'full' | 'normal'): Promise<void> {
  const { seconds, lines } = await importBenchLedger(join(directory, 'import.db'), 50, 100_000, synchronous);
  report(`Bulk import (embedded store, synchronous=${synchronous})`, [
    ['lines (100,000 cost lines over 50 schemes)', fmt(lines)],
    ['time', `${seconds.toFixed(2)} s`],
    ['rate (aim ≥ 20,000)', `${fmt(lines / seconds)} commands/s`],
  ]);
}
