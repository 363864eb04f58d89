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

interface Registered {
  readonly name: string;
  /**
   * Weak: a cache made for one database or server (per-database.ts in the API) goes with it,
   * instead of being kept, full, by this list for the rest of the process.
   */
  readonly cache: WeakRef<LRUCache<NonNullable<unknown>, NonNullable<unknown>>>;
}

const registry = new Set<Registered>();
const unregister = new FinalizationRegistry<Registered>((entry) => registry.delete(entry));

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
  const entry: Registered = { name: options.name, cache: new WeakRef(cache as unknown as LRUCache<NonNullable<unknown>, NonNullable<unknown>>) };
  registry.add(entry);
  unregister.register(cache, entry);
  return cache;
}

/** Every bounded cache of this process still in use, with what it holds now. */
export function cacheStats(): CacheStats[] {
  return [...registry].flatMap(({ name, cache: ref }) => {
    const cache = ref.deref();
    return cache ? [{ name, entries: cache.size, size: cache.calculatedSize, maxSize: cache.maxSize }] : [];
  });
}
