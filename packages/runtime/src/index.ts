export { boundedCache, cacheStats, type BoundedCacheOptions, type CacheStats } from './caches.ts';
export { consoleStyle, formatEntry, paint, readableDestination, type ConsoleStream, type ConsoleStyle } from './console.ts';
export { appLogger } from './logger.ts';
export { portInUseMessage } from './port-in-use.ts';
export { envBoolean, parseEnvWith } from './env.ts';
export { exitOnConfigError, reportReady, stopOnSignals, type ReadyMessage, type ShutdownLog } from './process.ts';
