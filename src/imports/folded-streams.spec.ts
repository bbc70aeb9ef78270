import { LoadedStream } from '../commanding/loaded-stream';
import { FoldedStreams } from './folded-streams';

const stream = (streamName: string, revision: bigint): LoadedStream<unknown> => ({ streamName, state: { revision }, revision, commands: new Map() });

describe('FoldedStreams', () => {
  it('hands a stream to one taker only', () => {
    const folded = new FoldedStreams(100);
    folded.give(stream('s', 9n));
    expect(folded.take('s')?.revision).toBe(9n);
    expect(folded.take('s')).toBeUndefined();
  });

  it('keeps the further folded of two copies of a stream', () => {
    const folded = new FoldedStreams(100);
    folded.give(stream('s', 20n));
    folded.give(stream('s', 10n));
    expect(folded.take('s')?.revision).toBe(20n);
    folded.give(stream('s', 10n));
    folded.give(stream('s', 30n));
    expect(folded.take('s')?.revision).toBe(30n);
  });

  it('lets the least recently given streams go beyond its size, and never keeps one larger than that', () => {
    const folded = new FoldedStreams(25);
    folded.give(stream('a', 9n));
    folded.give(stream('b', 9n));
    folded.give(stream('c', 9n));
    expect(folded.size).toEqual({ streams: 2, events: 20 });
    expect(folded.take('a')).toBeUndefined();
    folded.give(stream('huge', 99n));
    expect(folded.take('huge')).toBeUndefined();
    expect(folded.take('c')?.revision).toBe(9n);
  });
});
