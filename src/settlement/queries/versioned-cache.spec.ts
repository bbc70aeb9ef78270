import { VersionedCache } from './versioned-cache';

describe('VersionedCache', () => {
  it('answers from the cache while the version stays, and reads again when it moves', async () => {
    const cache = new VersionedCache<number>();
    let reads = 0;
    const read = async () => (reads += 1);
    expect(await cache.get('k', 'v1', read)).toBe(1);
    expect(await cache.get('k', 'v1', read)).toBe(1);
    expect(await cache.get('k', 'v2', read)).toBe(2);
    expect(await cache.get('other', 'v2', read)).toBe(3);
    expect(reads).toBe(3);
  });

  it('never keeps an answer without a version, nor a failed read', async () => {
    const cache = new VersionedCache<number>();
    let reads = 0;
    expect(await cache.get('k', null, async () => (reads += 1))).toBe(1);
    expect(await cache.get('k', null, async () => (reads += 1))).toBe(2);
    await expect(cache.get('k', 'v1', () => Promise.reject(new Error('not found')))).rejects.toThrow('not found');
    expect(await cache.get('k', 'v1', async () => 42)).toBe(42);
  });

  it('drops the least recently used entry beyond its capacity', async () => {
    const cache = new VersionedCache<string>(2);
    const read = (value: string) => async () => value;
    await cache.get('a', 'v', read('a1'));
    await cache.get('b', 'v', read('b1'));
    await cache.get('a', 'v', read('a2'));
    await cache.get('c', 'v', read('c1'));
    expect(await cache.get('a', 'v', read('a3'))).toBe('a1');
    expect(await cache.get('b', 'v', read('b2'))).toBe('b2');
  });
});
