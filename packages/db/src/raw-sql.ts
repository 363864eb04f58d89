import type { EntityManager } from '@mikro-orm/core';
// Both drivers hand out @mikro-orm/sql's SqlEntityManager; the sqlite package re-exports its type and the platform.
import { SqlitePlatform, type SqlEntityManager } from '@mikro-orm/sqlite';
import { busyGuardOf, type BusyNative } from './sqlite-busy.ts';
import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';

let statements = 0;

/**
 * SQL for both engines, written with `?` placeholders (PostgreSQL's `$n` are derived once).
 * For hot paths only: MikroORM 7 inlines every value into the SQL it runs, so each statement is
 * built, escaped and (on SQLite) prepared anew; this text stays the same, its values are bound, and
 * SQLite's prepared statement is reused (database.ts). Column names are the tables' own.
 */
export class Statement<Row> {
  readonly sqlite: string;
  readonly postgresql: string;
  /** PostgreSQL prepares it under this name, once per connection. */
  readonly name = `raw_sql_${++statements}`;
  /** Carries the row type only; never read. */
  declare readonly row: Row;

  /** `postgresql`: where the engines' SQL differs, PostgreSQL's text (also with `?` placeholders). */
  constructor(sql: string, postgresql = sql) {
    this.sqlite = sql;
    let n = 0;
    this.postgresql = postgresql.replace(/\?/g, () => `$${++n}`);
  }
}

/** Statements by a count (rows of a multi-row insert), each built on first use and then kept. */
export function statementsByCount<Row>(build: (count: number) => Statement<Row>): (count: number) => Statement<Row> {
  const statements = new Map<number, Statement<Row>>();
  return (count) => {
    let statement = statements.get(count);
    if (!statement) statements.set(count, (statement = build(count)));
    return statement;
  };
}

/** `text` `count` times, comma-separated: the rows of a multi-row VALUES. */
export function repeated(count: number, text: string): string {
  return Array.from({ length: count }, () => text).join(', ');
}

/** What a raw statement gave back: rows (selects, `returning`) and the affected row count. */
export interface RawResult<Row> {
  readonly rows: Row[];
  readonly affected: number;
}

/** A Kysely transaction of the EntityManager's connection, opened by `transaction` below. */
export type RawTransaction = Pick<Kysely<unknown>, 'executeQuery'>;

/**
 * Runs a statement on the EntityManager's connection, inside its transaction if it has one (or in
 * `tx`). Values are converted as MikroORM stores them: SQLite keeps datetimes as epoch
 * milliseconds and booleans as 0/1; PostgreSQL gets datetimes as ISO text. Driver errors come out
 * converted, like the ORM's own (e.g. ForeignKeyConstraintViolationException).
 */
export async function execute<Row>(em: EntityManager, statement: Statement<Row>, params: unknown[], tx?: RawTransaction): Promise<RawResult<Row>> {
  const sqlEm = em as SqlEntityManager;
  const sqlite = sqlEm.getPlatform() instanceof SqlitePlatform;
  const values = params.map(sqlite ? toSqlite : toPostgresql);
  try {
    if (!sqlite && !tx && !sqlEm.isInTransaction()) {
      // Outside a transaction, straight to MikroORM's pg pool as a named statement: the server
      // parses and plans it once per connection instead of on every call (Kysely sends every
      // query unnamed), which on the booking path was much of PostgreSQL's own CPU.
      const pool = (await sqlEm.getConnection().getNativeClient()) as pg.Pool;
      const result = await pool.query<Row & pg.QueryResultRow>({ name: statement.name, text: statement.postgresql, values });
      return { rows: result.rows, affected: result.rowCount ?? 0 };
    }
    const result = await (tx ?? sqlEm.getKysely()).executeQuery<Row>(CompiledQuery.raw(sqlite ? statement.sqlite : statement.postgresql, values));
    return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0) };
  } catch (error) {
    throw error instanceof Error ? sqlEm.getDriver().convertException(error) : error;
  }
}

/**
 * Runs `work` in a transaction of its own, or in the EntityManager's if it is in one already.
 * Kysely's transaction rather than MikroORM's: for raw statements only, no unit of work to fork,
 * flush or commit (~30 µs less per booking).
 */
export async function transaction<T>(em: EntityManager, work: (tx: RawTransaction | undefined) => Promise<T>): Promise<T> {
  const sqlEm = em as SqlEntityManager;
  if (sqlEm.isInTransaction()) return work(undefined);
  return sqlEm.getKysely().transaction().execute((tx) => work(tx));
}

/** The part of better-sqlite3 a synchronous transaction uses. */
interface SyncSqlite extends BusyNative {
  readonly inTransaction: boolean;
  prepare(sql: string): { readonly reader: boolean; all(...params: unknown[]): unknown[]; run(...params: unknown[]): { changes: number } };
  transaction<T>(work: () => T): { immediate(): T };
}

/** Runs a statement synchronously, inside `sqliteTransaction`. */
export type SyncRun = <Row>(statement: Statement<Row>, params: unknown[]) => RawResult<Row>;

/**
 * SQLite: runs `work` as one transaction (BEGIN IMMEDIATE) straight on better-sqlite3, its
 * statements synchronous: no await between them, none of Kysely's per-query machinery (a booking's
 * write measured ~40 µs less CPU, ~30% of it). Kysely's connection is held meanwhile, so no other
 * request's transaction is open on it. Inside a caller's transaction, `work` is a savepoint of it:
 * all or nothing even if the caller goes on after a failure.
 */
export async function sqliteTransaction<T>(em: EntityManager, work: (run: SyncRun) => T): Promise<T> {
  const sqlEm = em as SqlEntityManager;
  const native = (await sqlEm.getConnection().getNativeClient()) as SyncSqlite;
  const run: SyncRun = <Row>(statement: Statement<Row>, params: unknown[]) => {
    const prepared = native.prepare(statement.sqlite);
    const values = params.map(toSqlite);
    return prepared.reader ? { rows: prepared.all(...values) as Row[], affected: 0 } : { rows: [], affected: prepared.run(...values).changes };
  };
  try {
    if (sqlEm.isInTransaction()) {
      // Opened through the transaction's own handle, which refuses once that transaction has ended
      // (a finished transaction's EM still says it is in one): nothing lands in another's, or none.
      await sqlEm.getKysely().executeQuery(CompiledQuery.raw('savepoint raw_work'));
      try {
        const result = work(run);
        native.prepare('release raw_work').run();
        return result;
      } catch (error) {
        native.prepare('rollback to raw_work').run();
        native.prepare('release raw_work').run();
        throw error;
      }
    }
    return await sqlEm
      .getKysely()
      .connection()
      .execute(async () => {
        // Kysely's own transactions end on its connection; one open now was left by something else.
        if (native.inTransaction) throw new Error('A transaction was left open on the SQLite connection');
        // BEGIN IMMEDIATE waits for the write lock outside any prepared statement: the busy guard sees it here.
        return busyGuardOf(native).observe(() => native.transaction(() => work(run)).immediate(), true);
      });
  } catch (error) {
    // SQLite's own errors come out converted; what `work` threw, as it was.
    throw error instanceof Error && error.name === 'SqliteError' ? sqlEm.getDriver().convertException(error) : error;
  }
}

/**
 * Runs a bounded delete (a statement whose last parameter is its row limit) until a batch comes
 * back short; how many rows it deleted in all. Each batch is its own statement, so a sweep over a
 * backlog never holds SQLite's write lock (or PostgreSQL's row locks) for long.
 */
export async function deleteInBatches(em: EntityManager, statement: Statement<never>, params: unknown[], batch = 5_000): Promise<number> {
  let deleted = 0;
  let last: number;
  do {
    last = (await execute(em, statement, [...params, batch])).affected;
    deleted += last;
  } while (last === batch);
  return deleted;
}

function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

const ISO_FROM = Date.parse('0001-01-01T00:00:00Z');
const ISO_UNTIL = Date.parse('+010000-01-01T00:00:00Z');
/**
 * Datetimes as ISO text: node-postgres' own formatting costs ~0.5 µs a value (a booking sends 16).
 * Outside years 1–9999 toISOString's form ('+275760-…') is not PostgreSQL's: node-postgres formats those.
 */
function toPostgresql(value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  const time = value.getTime();
  return time >= ISO_FROM && time < ISO_UNTIL ? value.toISOString() : value;
}

/** A datetime column as read: epoch milliseconds (SQLite) or MikroORM's raw timestamptz text (PostgreSQL). */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as number | string);
}

/** A nullable datetime column as read. */
export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}
