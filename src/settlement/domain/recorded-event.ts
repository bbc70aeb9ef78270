import { EventMetadata, Position } from '../../event-store/event-store.port';

/** An event as read back from the store, with what the settlement rules need of it. */
export interface RecordedEvent {
  id: string;
  streamName: string;
  revision: bigint;
  position: Position;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  metadata: EventMetadata;
}
