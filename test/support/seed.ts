import { CommandCatalogue } from '../../src/commanding/command-catalogue';
import { EventStore } from '../../src/event-store/event-store.port';
import { ImportReport, ImportSession, linesOf } from '../../src/imports/import-session';
import { LedgerHistory } from '../../src/settlement/queries/ledger-history';
import { Clock } from '../../src/shared/clock';

/** Applies NDJSON commands straight to a store, through the same import path as the service. */
export async function seed(store: EventStore, allianceId: string, text: string, clock: Clock = { now: () => new Date() }): Promise<ImportReport> {
  const report = await new ImportSession({ store, catalogue: new CommandCatalogue(), services: new LedgerHistory(store, clock), clock }, allianceId, {
    importId: 'seed',
    actor: 'test',
  }).run(linesOf(text));
  if (report.error) throw new Error(report.error.message);
  return report;
}
