import { boundedCache } from '@appointments/runtime';
import { busyGuardOf, type BusyGuard, type BusyNative } from './sqlite-busy.ts';

/** A better-sqlite3 statement, as the runner and Kysely's driver use it. */
export interface NativeStatement {
  /** Whether it returns rows (`all`) rather than changes (`run`). */
  readonly reader: boolean;
  /** Whether it leaves the database as it was. */
  readonly readonly: boolean;
  run(...params: unknown[]): { changes: number };
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
}

/** The part of better-sqlite3 the runner uses: the ORM's one connection. */
export interface NativeSqlite extends BusyNative {
  readonly inTransaction: boolean;
  prepare(sql: string): NativeStatement;
  transaction<T>(work: () => T): { immediate(): T };
  close(): void;
}

/** Distinct SQL texts kept prepared; `$in` lists of varying length make new texts, so the cache is bounded. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every statement anew on every query, and with better-sqlite3
 * that parse-and-plan was a sizeable share of the API's CPU on the slots and booking paths
 * (bench/). Statements are stateless between synchronous `all()`/`run()` calls (nothing here
 * iterates or changes a statement's mode), so the same text reuses the same statement; least
 * recently used ones go. Every statement's runs are seen by the busy guard. The cache, to empty on close.
 */
export function reusePreparedStatements(native: NativeSqlite): { clear(): void } {
  const prepare = native.prepare.bind(native);
  const guard = busyGuardOf(native);
  const cache = boundedCache<string, NativeStatement>({ name: 'sqlite-statements', maxSize: STATEMENT_CACHE_SIZE });
  native.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) cache.set(sql, (statement = observedBy(guard, prepare(sql))));
    return statement;
  };
  return cache;
}

/** The statement, its runs seen by the busy guard (sqlite-busy.ts); one that writes and succeeds shows the lock free. */
function observedBy(guard: BusyGuard, statement: NativeStatement): NativeStatement {
  for (const method of ['run', 'all', 'get'] as const) {
    const original = statement[method].bind(statement) as (...params: unknown[]) => never;
    statement[method] = (...params: unknown[]) => guard.observe(() => original(...params), !statement.readonly);
  }
  return statement;
}

/** Reads on a connection of its own; see `committedReader`. */
export interface CommittedReader {
  get<Row>(sql: string, params: readonly unknown[]): Row | undefined;
  close(): void;
}

/**
 * Reads on a read-only connection of its own, so they cost microseconds and see committed data
 * only, never the shared connection's open transaction. WAL readers never wait for the writer.
 * The constructor is taken from the ORM's own connection so both are the same SQLite copy (two
 * copies in one process break file locking). Opened on first use: processes that never read
 * this way (the worker) never open it.
 */
export function committedReader(native: NativeSqlite, path: string): CommittedReader {
  const Native = native.constructor as new (path: string, options: { readonly: boolean; fileMustExist: boolean }) => NativeSqlite;
  let connection: NativeSqlite | undefined;
  const statements = new Map<string, NativeStatement>();
  return {
    get<Row>(sql: string, params: readonly unknown[]) {
      connection ??= new Native(path, { readonly: true, fileMustExist: true });
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
      return statement.get(...params) as Row | undefined;
    },
    close: () => connection?.close(),
  };
}
