import { NewEvent } from './event-store.port';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shape checks every adapter applies before writing, so both refuse the same appends. */
export function checkNewEvents(streamName: string, events: readonly NewEvent[]): void {
  if (typeof streamName !== 'string' || streamName.length === 0) throw new TypeError('A stream name is required');
  if (streamName.startsWith('$')) throw new TypeError(`Stream ${streamName}: names starting with $ are reserved`);
  if (events.length === 0) throw new TypeError(`Stream ${streamName}: an append needs at least one event`);
  const seen = new Set<string>();
  for (const event of events) {
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError(`Stream ${streamName}: every event needs a type`);
    if (event.id !== undefined) {
      if (!UUID_PATTERN.test(event.id)) throw new TypeError(`Stream ${streamName}: event id ${event.id} is not a UUID`);
      if (seen.has(event.id)) throw new TypeError(`Stream ${streamName}: event id ${event.id} appears twice in one append`);
      seen.add(event.id);
    }
  }
}
