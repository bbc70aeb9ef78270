import { LoadedStream } from '../commanding/loaded-stream';

/** About how many events' worth of folded streams an instance keeps between imports by default. */
export const DEFAULT_FOLDED_EVENTS = 2_000_000;

/**
 * Streams folded by earlier imports, kept for the next import of the same streams so it reads only
 * what was appended since (by revision) instead of the whole stream again. An import takes a stream
 * out while it works on it and gives it back only when it holds exactly what the store holds, so
 * two imports never share a state and a stopped import's undecided lines never linger. Least
 * recently used streams go first once the streams held pass `maxEvents` events in all.
 */
export class FoldedStreams {
  private readonly entries = new Map<string, LoadedStream<unknown>>();
  private events = 0;

  constructor(private readonly maxEvents = DEFAULT_FOLDED_EVENTS) {}

  /** The stream as an earlier import left it (to be caught up by revision), or undefined. */
  take(streamName: string): LoadedStream<unknown> | undefined {
    const loaded = this.entries.get(streamName);
    if (!loaded) return undefined;
    this.entries.delete(streamName);
    this.events -= sizeOf(loaded);
    return loaded;
  }

  /** Keeps a stream that reflects the store up to its revision, and nothing more. */
  give(loaded: LoadedStream<unknown>): void {
    const held = this.entries.get(loaded.streamName);
    if (held && held.revision >= loaded.revision) return;
    if (held) this.take(loaded.streamName);
    if (sizeOf(loaded) > this.maxEvents) return;
    this.entries.set(loaded.streamName, loaded);
    this.events += sizeOf(loaded);
    for (const [streamName] of this.entries) {
      if (this.events <= this.maxEvents) break;
      this.take(streamName);
    }
  }

  get size(): { streams: number; events: number } {
    return { streams: this.entries.size, events: this.events };
  }
}

function sizeOf(loaded: LoadedStream<unknown>): number {
  return Number(loaded.revision) + 1;
}
