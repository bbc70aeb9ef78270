import { INestApplicationContext } from '@nestjs/common';
import { CommandCatalogue } from '../commanding/command-catalogue';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { ImportReport, ImportSession } from '../imports/import-session';
import { LedgerHistory } from '../settlement/queries/ledger-history';
import { Clock } from '../shared/clock';
import { demoGrantLines } from './demo-personas';
import { DEMO_ALLIANCE_ID, smartMotorwayDemo } from './smart-motorway-demo';

/**
 * Loads the demo alliance through the ordinary import path. Its clock follows the demo's quarters
 * (capped at the present), so `asAt` shows the history unfolding.
 */
export async function loadDemo(app: INestApplicationContext): Promise<ImportReport> {
  const store = app.get<EventStore>(EVENT_STORE);
  const demo = smartMotorwayDemo();
  let index = 0;
  // Never in the future: the open quarter's facts are entered "now" when the demo runs mid-quarter.
  const clock: Clock = { now: () => new Date(Math.min(Date.parse(demo[Math.min(index, demo.length - 1)].at), Date.now())) };
  const session = new ImportSession(
    { store, catalogue: app.get(CommandCatalogue), services: new LedgerHistory(store, clock), clock },
    DEMO_ALLIANCE_ID,
    { importId: 'demo', actor: 'demo-loader' },
  );
  async function* lines(): AsyncIterable<string> {
    for (; index < demo.length; index += 1) yield demo[index].line;
    yield* demoGrantLines();
  }
  const report = await session.run(lines());
  if (report.error) throw new Error(`The demo could not be loaded: ${report.error.message}`);
  return report;
}
