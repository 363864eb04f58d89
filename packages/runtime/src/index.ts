export { boundedCache, cacheStats, type BoundedCacheOptions, type CacheStats } from './caches.ts';
