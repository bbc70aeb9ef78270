import { performance } from 'node:perf_hooks';
import { TimeSlices } from './time-slices';

/** The clock is stubbed: these examples are about when a slice is due, not about real time. */
describe('time slices', () => {
  let now = 0;
  beforeEach(() => {
    now = 0;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  const answers = (slices: TimeSlices, calls: number) => Array.from({ length: calls }, () => slices.due());

  it('reads the clock only every so many items, and is due once a slice has passed', () => {
    const slices = new TimeSlices(10, 4);
    now = 10;
    expect(answers(slices, 4)).toEqual([false, false, false, false]);
    now = 11;
    expect(answers(slices, 4)).toEqual([false, false, false, true]);
  });

  it('starts a new slice when the loop is given back', async () => {
    const slices = new TimeSlices(10, 2);
    now = 11;
    expect(answers(slices, 2)).toEqual([false, true]);
    await slices.yield();
    now = 21;
    expect(answers(slices, 2)).toEqual([false, false]);
    now = 22;
    expect(answers(slices, 2)).toEqual([false, true]);
  });

  it('reads the clock every 64 items unless told otherwise', () => {
    const slices = new TimeSlices(0);
    now = 1;
    const due = answers(slices, 128);
    expect(due.flatMap((answer, index) => (answer ? [index + 1] : []))).toEqual([64, 128]);
  });
});
