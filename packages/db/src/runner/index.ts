/**
 * The one runner of SQL: every engine difference (async statements and transactions, SQLite's
 * synchronous transaction, prepared and named statements, the busy guard, query timeouts) is
 * here. Repositories run statements (sql/) through `Runner`; none touches a driver.
 */
export { boundedClient, QueryTimeoutError, type QueryBound } from './bounded-client.ts';
export { openEngine, type Engine } from './engine.ts';
export { DEFAULT_QUERY_TIMEOUT_MS, migrateUnbounded, postgresConnectionOptions } from './postgresql.ts';
export { read, Runner, type Program, type RawResult, type SyncRun } from './runner.ts';
export { datetime, fromJson, toDate, toInstant, toInstantOrNull } from './values.ts';
