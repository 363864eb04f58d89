import type { AttemptWindow } from '@appointments/domain';
import { toInstant, type Runner } from '../runner/index.ts';
import { ENSURE_WINDOWS, READ_WINDOWS, SWEEP_WINDOWS, WRITE_WINDOW } from '../sql/attempt-windows.ts';

/** What to store for a key: its window, and when the row stops mattering. */
export interface WindowChange {
  readonly key: string;
  readonly window: AttemptWindow;
  readonly expiresAt: number;
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
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  /**
   * Reads the windows of `keys` (absent where none counts an attempt) and stores what `decide`
   * makes of them, all in one transaction holding their rows; what `decide` returns besides the
   * changes is passed through. Without changes (a refusal) the transaction rolls back, so refused
   * requests leave no rows behind, however many keys they name.
   */
  async change<T>(keys: readonly string[], decide: (windows: ReadonlyMap<string, AttemptWindow>) => { changes: readonly WindowChange[]; result: T }): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    try {
      return await this.#sql.transaction(async (sql) => {
        await sql.run(ENSURE_WINDOWS(sorted.length), sorted.flatMap((key) => [key, new Date(0), new Date(0)]));
        const { rows } = await sql.run(READ_WINDOWS(sorted.length), sorted);
        // A row counting no attempts is no window (the domain starts one); it may be one made just now.
        const windows = new Map(rows.filter((row) => Number(row.count) > 0).map((row) => [row.key, { count: Number(row.count), windowStart: toInstant(row.window_start) }]));
        const { changes, result } = decide(windows);
        if (changes.length === 0) throw new Unchanged(result);
        for (const { key, window, expiresAt } of changes) {
          await sql.run(WRITE_WINDOW, [key, window.count, new Date(window.windowStart), new Date(expiresAt)]);
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
    return this.#sql.deleteInBatches(SWEEP_WINDOWS, [now]);
  }
}
