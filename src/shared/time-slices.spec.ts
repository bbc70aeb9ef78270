import { performance } from 'node:perf_hooks';
import { TimeSlices } from './time-slices';

describe('TimeSlices', () => {
  let now: number;
  beforeEach(() => {
    now = 1_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  /** Which of the next `items` calls to due() answer true (1-based). */
  const dueAt = (slices: TimeSlices, items: number) => Array.from({ length: items }, () => slices.due()).flatMap((due, index) => (due ? [index + 1] : []));

  it('looks at the clock only every `every` items, however long the slice has run', () => {
    const slices = new TimeSlices(10, 4);
    now = 5_000;
    expect(dueAt(slices, 12)).toEqual([4, 8, 12]);
  });

  it('is due only once more than the slice has passed since it started', () => {
    const slices = new TimeSlices(10, 4);
    now = 1_010;
    expect(dueAt(slices, 8)).toEqual([]);
    now = 1_010.5;
    expect(dueAt(slices, 4)).toEqual([4]);
  });

  it('gives the event loop back, then starts a new slice from that moment', async () => {
    const slices = new TimeSlices(10, 2);
    now = 1_020;
    expect(dueAt(slices, 2)).toEqual([2]);
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    await slices.yield().then(() => order.push('after yield'));
    expect(order).toEqual(['other work', 'after yield']);
    expect(dueAt(slices, 4)).toEqual([]);
    now = 1_031;
    expect(dueAt(slices, 2)).toEqual([2]);
  });

  it('asks the clock every 64 items unless told otherwise', () => {
    const slices = new TimeSlices(1);
    now = 2_000;
    expect(dueAt(slices, 128)).toEqual([64, 128]);
  });
});
