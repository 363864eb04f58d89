import type { EntityManager } from '@mikro-orm/core';
// Both drivers hand out @mikro-orm/sql's SqlEntityManager; the sqlite package re-exports its type.
import type { SqlEntityManager } from '@mikro-orm/sqlite';
import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Query, Statement } from '../sql/statement.ts';
import type { Engine } from './engine.ts';
import { busyGuardOf } from './sqlite-busy.ts';
import { toPostgresql, toSqlite } from './values.ts';

/** What a statement gave back: rows (selects, `returning`) and the affected row count. */
export interface RawResult<Row> {
  readonly rows: Row[];
  readonly affected: number;
}

/** Runs a statement synchronously, inside `Runner.sqliteTransaction`. */
export type SyncRun = <Row>(statement: Statement<Row>, values: readonly unknown[]) => RawResult<Row>;

/**
 * Work written once for both engines as a sequence of statements, each answered with its rows:
 * `yield* read(query)` runs one and hands its rows back. `Runner.program` drives it in one transaction.
 */
export type Program<T> = Generator<Query<unknown>, T, readonly unknown[]>;

/** One statement of a Program, with its rows typed by the statement. */
export function* read<Row>(query: Query<Row>): Generator<Query<unknown>, Row[], readonly unknown[]> {
  return (yield query as Query<unknown>) as Row[];
}

/** A Kysely transaction on the ORM's connection: MikroORM runs its queries through Kysely. */
type RawTransaction = Pick<Kysely<unknown>, 'executeQuery'>;

const NOTHING: RawResult<never> = { rows: [], affected: 0 };

/**
 * Runs statements (sql/) on the ORM's connection, inside the EntityManager's transaction when it
 * has one, so they commit or roll back with whatever the ORM wrote. One per forked EntityManager.
 * Values are converted as MikroORM stores them (values.ts). Driver errors come out converted, like
 * the ORM's own (e.g. ForeignKeyConstraintViolationException).
 */
export class Runner {
  readonly #em: SqlEntityManager;
  readonly #engine: Engine;
  readonly #tx: RawTransaction | undefined;

  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager, engine: Engine, tx?: RawTransaction) {
    this.#em = em as SqlEntityManager;
    this.#engine = engine;
    this.#tx = tx;
  }

  get dialect(): Engine['dialect'] {
    return this.#engine.dialect;
  }

  /** Whether statements run in a transaction: the EntityManager's, or one `transaction` opened. */
  get inTransaction(): boolean {
    return this.#tx !== undefined || this.#em.isInTransaction();
  }

  async run<Row>(statement: Statement<Row>, values: readonly unknown[]): Promise<RawResult<Row>> {
    const sqlite = this.#engine.dialect === 'sqlite';
    const text = sqlite ? statement.sqlite : statement.postgresql;
    if (text === null) return NOTHING;
    const params = values.map(sqlite ? toSqlite : toPostgresql);
    try {
      if (!sqlite && !this.inTransaction) {
        // Outside a transaction, straight to the ORM's pg pool as a named statement: the server
        // parses and plans it once per connection instead of on every call (Kysely sends every
        // query unnamed), which on the booking path was much of PostgreSQL's own CPU.
        const pool = (await this.#em.getConnection().getNativeClient()) as pg.Pool;
        const result = await pool.query<Row & pg.QueryResultRow>({ name: statement.name, text, values: params });
        return { rows: result.rows, affected: result.rowCount ?? 0 };
      }
      const result = await (this.#tx ?? this.#em.getKysely()).executeQuery<Row>(CompiledQuery.raw(text, params));
      return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0) };
    } catch (error) {
      throw this.#converted(error);
    }
  }

  /**
   * The first row of a read of committed data only, never of an open transaction's: on a SQLite
   * file, synchronously on a read-only connection of its own (engine.ts); elsewhere as `run`.
   */
  async committed<Row>(statement: Statement<Row>, values: readonly unknown[]): Promise<Row | undefined> {
    const reader = this.#engine.committed;
    if (reader) return reader.get<Row>(statement.sqlite, values.map(toSqlite));
    return (await this.run(statement, values)).rows[0];
  }

  /**
   * Runs `work` in a transaction of its own, or in the one statements already run in. Kysely's
   * transaction rather than MikroORM's: for statements only, no unit of work to fork, flush or commit.
   */
  async transaction<T>(work: (sql: Runner) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.#em
      .getKysely()
      .transaction()
      .execute((tx) => work(new Runner(this.#em, this.#engine, tx)));
  }

  /**
   * Runs `work` where the rows its statements lock stay locked until it ends: PostgreSQL, in a
   * transaction (`transaction`). SQLite has no row locks, and a read-then-write transaction there
   * could fail against other processes' writes (and hold the one connection meanwhile): as it is.
   */
  async rowLocking<T>(work: (sql: Runner) => Promise<T>): Promise<T> {
    return this.#engine.dialect === 'sqlite' ? work(this) : this.transaction(work);
  }

  /**
   * SQLite: runs `work` as one transaction (BEGIN IMMEDIATE) straight on better-sqlite3, its
   * statements synchronous: no await between them, none of Kysely's per-query machinery. Kysely's
   * connection is held meanwhile, so no other request's transaction is open on it. Inside a
   * transaction already, `work` is a savepoint of it: all or nothing even if the caller goes on
   * after a failure.
   */
  async sqliteTransaction<T>(work: (run: SyncRun) => T): Promise<T> {
    const native = this.#engine.sqlite;
    if (!native) throw new Error('sqliteTransaction runs on SQLite only');
    const run: SyncRun = <Row>(statement: Statement<Row>, values: readonly unknown[]) => {
      const prepared = native.prepare(statement.sqlite);
      const params = values.map(toSqlite);
      return prepared.reader ? { rows: prepared.all(...params) as Row[], affected: 0 } : { rows: [], affected: prepared.run(...params).changes };
    };
    try {
      if (this.inTransaction) {
        // Opened through the transaction's own handle, which refuses once that transaction has ended
        // (a finished transaction's EM still says it is in one): nothing lands in another's, or none.
        await (this.#tx ?? this.#em.getKysely()).executeQuery(CompiledQuery.raw('savepoint raw_work'));
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
      return await this.#em
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
      throw error instanceof Error && error.name === 'SqliteError' ? this.#converted(error) : error;
    }
  }

  /**
   * Runs a Program in one transaction: on SQLite synchronously inside `sqliteTransaction` (the
   * write lock held from its first statement, no awaits between them), on PostgreSQL statement by
   * statement in `transaction`. For work that reads and then writes what it read (a claimed batch).
   */
  async program<T>(steps: () => Program<T>): Promise<T> {
    if (this.#engine.dialect === 'sqlite') {
      return this.sqliteTransaction((run) => {
        const program = steps();
        let step = program.next();
        while (!step.done) step = program.next(run(...step.value).rows);
        return step.value;
      });
    }
    return this.transaction(async (sql) => {
      const program = steps();
      let step = program.next();
      while (!step.done) step = program.next((await sql.run(...step.value)).rows);
      return step.value;
    });
  }

  /**
   * Runs a bounded delete (a statement whose last value is its row limit) until a batch comes back
   * short; how many rows it deleted in all. Each batch is its own statement, so a sweep over a
   * backlog never holds SQLite's write lock (or PostgreSQL's row locks) for long.
   */
  async deleteInBatches(statement: Statement, values: readonly unknown[], batch = 5_000): Promise<number> {
    let deleted = 0;
    let last: number;
    do {
      last = (await this.run(statement, [...values, batch])).affected;
      deleted += last;
    } while (last === batch);
    return deleted;
  }

  #converted(error: unknown): unknown {
    return error instanceof Error ? this.#em.getDriver().convertException(error) : error;
  }
}
