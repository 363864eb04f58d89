import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { boundedCache, cacheStats } from './caches.ts';

describe('boundedCache', () => {
  it('drops the least recently used entries once the weight passes the bound', () => {
    const cache = boundedCache<string, number[]>({ name: 'test-weights', maxSize: 5, sizeOf: (value) => value.length });
    cache.set('a', [1, 2]);
    cache.set('b', [1, 2]);
    cache.get('a');
    cache.set('c', [1, 2]);
    expect([...cache.keys()].sort()).toEqual(['a', 'c']);
    expect(cacheStats().find((stats) => stats.name === 'test-weights')).toEqual({ name: 'test-weights', entries: 2, size: 4, maxSize: 5 });
  });

  it('counts entries when no weight is given, and weighs empty values as one', () => {
    const counted = boundedCache<number, string>({ name: 'test-count', maxSize: 2 });
    for (const key of [1, 2, 3]) counted.set(key, 'x');
    expect([...counted.keys()]).toEqual([3, 2]);
    const weighed = boundedCache<number, number[]>({ name: 'test-empty', maxSize: 2, sizeOf: (value) => value.length });
    for (const key of [1, 2, 3]) weighed.set(key, []);
    expect(weighed.size).toBe(2);
  });

  it('stops listing a cache once nothing else holds it', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const listed = () => cacheStats().filter((stats) => stats.name === 'test-dropped').length;
    let cache: ReturnType<typeof boundedCache<number, string>> | undefined = boundedCache({ name: 'test-dropped', maxSize: 1 });
    cache.set(1, 'x');
    expect(listed()).toBe(1);
    cache = undefined;
    // A WeakRef read in this task keeps its target alive until the task ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(listed()).toBe(0);
  });
});
