import type { EntityManager } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sqlite';
import type { AttemptWindow } from '@appointments/domain';
import { deleteInBatches, execute, repeated, Statement, statementsByCount, toDate, transaction } from '../raw-sql.ts';

/** What to store for a key: its window, and when the row stops mattering. */
export interface WindowChange {
  readonly key: string;
  readonly window: AttemptWindow;
  readonly expiresAt: number;
}

// A row for every key first: the insert takes SQLite's write lock at once, so what is read next is
// what the write replaces, and PostgreSQL's rows exist to be locked. Keys are sorted, so two
// processes locking the same keys can't deadlock.
const ENSURE = statementsByCount(
  (count) => new Statement<never>(`insert into attempt_windows (key, count, window_start, expires_at) values ${repeated(count, '(?, 0, ?, ?)')} on conflict (key) do nothing`),
);
const READ = {
  sqlite: statementsByCount((count) => new Statement<WindowRow>(`select key, count, window_start from attempt_windows where key in (${repeated(count, '?')})`)),
  postgresql: statementsByCount(
    (count) => new Statement<WindowRow>(`select key, count, window_start from attempt_windows where key in (${repeated(count, '?')}) order by key for update`),
  ),
};
// An upsert: the sweep may have deleted a row between ENSURE and READ (PostgreSQL reads anew per statement).
const WRITE = new Statement<never>(
  'insert into attempt_windows (key, count, window_start, expires_at) values (?, ?, ?, ?)' +
    ' on conflict (key) do update set count = excluded.count, window_start = excluded.window_start, expires_at = excluded.expires_at',
);
// In batches, so a sweep after a flood never holds SQLite's write lock for long; on PostgreSQL it
// skips rows a throttle check holds (locking in another order than the checks could deadlock).
const SWEEP = new Statement<never>(
  'delete from attempt_windows where key in (select key from attempt_windows where expires_at < ? limit ?)',
  'delete from attempt_windows where key in (select key from attempt_windows where expires_at < ? limit ? for update skip locked)',
);

interface WindowRow {
  readonly key: string;
  readonly count: number;
  readonly window_start: unknown;
}

/** Carries `change`'s result out of a transaction rolled back because it changed nothing. */
class Unchanged<T> extends Error {
  readonly result: T;
  constructor(result: T) {
    super('unchanged');
    this.result = result;
  }
}

/** Attempt windows by key, changed atomically across processes. */
export class AttemptWindowRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  /**
   * Reads the windows of `keys` (absent where none counts an attempt) and stores what `decide`
   * makes of them, all in one transaction holding their rows; what `decide` returns besides the
   * changes is passed through. Without changes (a refusal) the transaction rolls back, so refused
   * requests leave no rows behind, however many keys they name.
   */
  async change<T>(keys: readonly string[], decide: (windows: ReadonlyMap<string, AttemptWindow>) => { changes: readonly WindowChange[]; result: T }): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const sqlite = this.#em.getPlatform() instanceof SqlitePlatform;
    try {
      return await transaction(this.#em, async (tx) => {
        await execute(this.#em, ENSURE(sorted.length), sorted.flatMap((key) => [key, new Date(0), new Date(0)]), tx);
        const { rows } = await execute(this.#em, READ[sqlite ? 'sqlite' : 'postgresql'](sorted.length), sorted, tx);
        // A row counting no attempts is no window (the domain starts one); it may be one made just now.
        const windows = new Map(rows.filter((row) => Number(row.count) > 0).map((row) => [row.key, { count: Number(row.count), windowStart: toDate(row.window_start).getTime() }]));
        const { changes, result } = decide(windows);
        if (changes.length === 0) throw new Unchanged(result);
        for (const { key, window, expiresAt } of changes) {
          await execute(this.#em, WRITE, [key, window.count, new Date(window.windowStart), new Date(expiresAt)], tx);
        }
        return result;
      });
    } catch (error) {
      if (error instanceof Unchanged) return error.result as T;
      throw error;
    }
  }

  /** Deletes windows that no longer matter; how many. */
  async deleteExpired(now: Date): Promise<number> {
    return deleteInBatches(this.#em, SWEEP, [now]);
  }
}
