import { LRUCache } from 'lru-cache';

/** What every bounded cache of the process reports: its name, entries and weight against its bound. */
export interface CacheStats {
  readonly name: string;
  readonly entries: number;
  readonly size: number;
  readonly maxSize: number;
}

export interface BoundedCacheOptions<V> {
  /** Shown in `cacheStats()`; one name per cache kind. */
  readonly name: string;
  /** The bound, in the unit `sizeOf` counts (entries when `sizeOf` is absent). */
  readonly maxSize: number;
  /** The weight of one value (at least 1), e.g. the availability rules it holds. */
  readonly sizeOf?: (value: V) => number;
}

const registry = new Set<{ readonly name: string; readonly cache: LRUCache<NonNullable<unknown>, NonNullable<unknown>> }>();

/**
 * The one bounded cache of the code base: least recently used entries leave first once the
 * values' total weight would pass `maxSize`. Every cache made here is listed by `cacheStats()`.
 */
export function boundedCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(options: BoundedCacheOptions<V>): LRUCache<K, V> {
  const { sizeOf } = options;
  const cache = new LRUCache<K, V>({
    maxSize: options.maxSize,
    sizeCalculation: sizeOf ? (value) => Math.max(1, sizeOf(value)) : () => 1,
  });
  registry.add({ name: options.name, cache: cache as unknown as LRUCache<NonNullable<unknown>, NonNullable<unknown>> });
  return cache;
}

/** Every bounded cache made in this process, with what it holds now. */
export function cacheStats(): CacheStats[] {
  return [...registry].map(({ name, cache }) => ({ name, entries: cache.size, size: cache.calculatedSize, maxSize: cache.maxSize }));
}
