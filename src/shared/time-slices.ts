import { performance } from 'node:perf_hooks';
/**
 * Long work on the event loop (a replay, an import's lines) gives the loop back every few
 * milliseconds, so other requests and the projection never wait behind it for longer than that.
 * `due()` is cheap enough to ask once per item; only when it answers true is there an `await`.
 */
export class TimeSlices {
  private started = performance.now();
  private count = 0;

  constructor(
    private readonly sliceMs: number,
    /** Items between clock readings. */
    private readonly every = 64,
  ) {}

  due(): boolean {
    return (this.count += 1) % this.every === 0 && performance.now() - this.started > this.sliceMs;
  }

  async yield(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }
}
