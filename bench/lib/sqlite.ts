import { createRequire } from 'node:module';

export interface SqliteStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}
export interface SqliteDatabase {
  pragma(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  close(): void;
}
type SqliteConstructor = new (path: string) => SqliteDatabase;

/** better-sqlite3 exactly as the API loads it: through @mikro-orm/sqlite's own dependency. */
export function loadSqlite(): SqliteConstructor {
  const fromDb = createRequire(import.meta.resolve('@appointments/db'));
  return createRequire(fromDb.resolve('@mikro-orm/sqlite'))('better-sqlite3') as SqliteConstructor;
}
