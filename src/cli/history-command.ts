import { readAllianceEvents } from '../audit/event-history';
import { parseEventSearch } from '../audit/event-search';
import { AppConfig } from '../config/app-config';
import { createEventStore } from '../event-store/event-store.factory';
import { CliIo, CliValues, print, required } from './cli-options';

/**
 * `ledger events`: the same history and filters as `GET /alliances/{a}/events`, read straight
 * from the event store. It needs neither the read models nor the application's container, so
 * it starts as fast as Node and the store do.
 */
export async function printEvents(values: CliValues, config: AppConfig, io: CliIo): Promise<number> {
  const allianceId = required(values, 'alliance');
  const search = parseEventSearch({ ...values, asAt: values['as-at'] });
  const store = createEventStore(config.eventStore);
  try {
    print(io, await readAllianceEvents(store, allianceId, search));
    return 0;
  } finally {
    await store.close();
  }
}
