import type { EntityManager } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sqlite';
import type { AttemptWindow } from '@appointments/domain';
import { execute, repeated, Statement, statementsByCount, toDate, transaction } from '../raw-sql.ts';

/** What to store for a key: its window, and when the row stops mattering. */
export interface WindowChange {
  readonly key: string;
  readonly window: AttemptWindow;
  readonly expiresAt: number;
}

// A row for every key first: the insert takes SQLite's write lock at once, so what is read next is
// what the update replaces, and PostgreSQL's rows exist to be locked. Keys are sorted, so two
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
const WRITE = new Statement<never>('update attempt_windows set count = ?, window_start = ?, expires_at = ? where key = ?');
const SWEEP = new Statement<never>('delete from attempt_windows where expires_at < ?');

interface WindowRow {
  readonly key: string;
  readonly count: number;
  readonly window_start: unknown;
}

/** Attempt windows by key, changed atomically across processes. */
export class AttemptWindowRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  /**
   * Reads the windows of `keys` (absent where none counts an attempt) and stores what `decide` makes of them, all in one transaction holding their rows; what `decide`
   * returns besides the changes is passed through (e.g. a refusal that changes nothing).
   */
  async change<T>(keys: readonly string[], decide: (windows: ReadonlyMap<string, AttemptWindow>) => { changes: readonly WindowChange[]; result: T }): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const sqlite = this.#em.getPlatform() instanceof SqlitePlatform;
    return transaction(this.#em, async (tx) => {
      await execute(this.#em, ENSURE(sorted.length), sorted.flatMap((key) => [key, new Date(0), new Date(0)]), tx);
      const { rows } = await execute(this.#em, READ[sqlite ? 'sqlite' : 'postgresql'](sorted.length), sorted, tx);
      // A row counting no attempts is no window (the domain starts one); it may be one made just now.
      const windows = new Map(rows.filter((row) => Number(row.count) > 0).map((row) => [row.key, { count: Number(row.count), windowStart: toDate(row.window_start).getTime() }]));
      const { changes, result } = decide(windows);
      for (const { key, window, expiresAt } of changes) {
        await execute(this.#em, WRITE, [window.count, new Date(window.windowStart), new Date(expiresAt), key], tx);
      }
      return result;
    });
  }

  /** Deletes windows that no longer matter; how many. */
  async deleteExpired(now: Date): Promise<number> {
    return (await execute(this.#em, SWEEP, [now])).affected;
  }
}
