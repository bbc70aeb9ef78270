import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { Decider, DomainEvent } from '../shared/decider';
import { catchUp, emptyStream, LoadedStream } from './loaded-stream';

interface Entry {
  loaded: LoadedStream<unknown>;
  /** The store's local head when the stream was last read to its end (see EventStore.localHead). */
  readAtHead: bigint | undefined;
}

/**
 * Keeps recently used streams folded in memory; each load only reads what was appended since.
 * Another process writing the same stream is caught by the read, and a stale revision by the append.
 * On a store with a local head (the embedded one), a stream read to its end while the head stood
 * where it stands now is not read again: every guarded request loads the caller's access stream,
 * and that read was most of what the guard cost.
 */
@Injectable()
export class StreamCache {
  private readonly entries = new Map<string, Entry>();
  private readonly capacity = 2000;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load<State>(streamName: string, decider: Decider<unknown, DomainEvent, State>): Promise<LoadedStream<State>> {
    let entry = this.entries.get(streamName);
    if (entry) this.entries.delete(streamName);
    else entry = { loaded: emptyStream(streamName, decider), readAtHead: undefined };
    this.entries.set(streamName, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    try {
      // Taken before the read: whatever commits after it moves the head, so the next load reads again.
      const head = this.store.localHead?.();
      if (head !== undefined && head === entry.readAtHead) return entry.loaded as LoadedStream<State>;
      await catchUp(this.store, entry.loaded as LoadedStream<State>, decider);
      entry.readAtHead = head;
      return entry.loaded as LoadedStream<State>;
    } catch (error) {
      this.forget(streamName);
      throw error;
    }
  }

  forget(streamName: string): void {
    this.entries.delete(streamName);
  }
}
