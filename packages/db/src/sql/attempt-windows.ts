import { repeated, Statement, statementsBy } from './statement.ts';

export interface WindowRow {
  readonly key: string;
  readonly count: number;
  readonly window_start: unknown;
}

// A row for every key first: the insert takes SQLite's write lock at once, so what is read next is
// what the write replaces, and PostgreSQL's rows exist to be locked. Keys are sorted, so two
// processes locking the same keys can't deadlock.
export const ENSURE_WINDOWS = statementsBy(
  (count: number) => new Statement(`insert into attempt_windows (key, count, window_start, expires_at) values ${repeated(count, '(?, 0, ?, ?)')} on conflict (key) do nothing`),
);

/** The keys' windows; PostgreSQL locks their rows, in key order. */
export const READ_WINDOWS = statementsBy(
  (count: number) =>
    new Statement<WindowRow>(
      `select key, count, window_start from attempt_windows where key in (${repeated(count, '?')})`,
      `select key, count, window_start from attempt_windows where key in (${repeated(count, '?')}) order by key for update`,
    ),
);

// An upsert: the sweep may have deleted a row between ENSURE_WINDOWS and READ_WINDOWS (PostgreSQL reads anew per statement).
export const WRITE_WINDOW = new Statement(
  'insert into attempt_windows (key, count, window_start, expires_at) values (?, ?, ?, ?)' +
    ' on conflict (key) do update set count = excluded.count, window_start = excluded.window_start, expires_at = excluded.expires_at',
);

// In batches, so a sweep after a flood never holds SQLite's write lock for long; on PostgreSQL it
// skips rows a throttle check holds (locking in another order than the checks could deadlock).
export const SWEEP_WINDOWS = new Statement(
  'delete from attempt_windows where key in (select key from attempt_windows where expires_at < ? limit ?)',
  'delete from attempt_windows where key in (select key from attempt_windows where expires_at < ? limit ? for update skip locked)',
);
