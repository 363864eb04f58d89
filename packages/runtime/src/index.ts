export { boundedCache, cacheStats, type BoundedCacheOptions, type CacheStats } from './caches.ts';
export { envBoolean, parseEnvWith } from './env.ts';
export { exitOnConfigError, reportReady, stopOnSignals, type ReadyMessage, type ShutdownLog } from './process.ts';
