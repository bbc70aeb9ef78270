import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { Decider, DomainEvent } from '../shared/decider';
import { catchUp, emptyStream, LoadedStream } from './loaded-stream';

/**
 * Keeps recently used streams folded in memory; each load only reads what was appended since.
 * Another process writing the same stream is caught by the read, and a stale revision by the append.
 */
@Injectable()
export class StreamCache {
  private readonly entries = new Map<string, LoadedStream<unknown>>();
  private readonly capacity = 2000;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load<State>(streamName: string, decider: Decider<unknown, DomainEvent, State>): Promise<LoadedStream<State>> {
    let entry = this.entries.get(streamName) as LoadedStream<State> | undefined;
    if (entry) this.entries.delete(streamName);
    else entry = emptyStream(streamName, decider);
    this.entries.set(streamName, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    try {
      return await catchUp(this.store, entry, decider);
    } catch (error) {
      this.forget(streamName);
      throw error;
    }
  }

  forget(streamName: string): void {
    this.entries.delete(streamName);
  }
}
