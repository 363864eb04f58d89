import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { busyGuardOf } from './sqlite-busy.ts';

interface Native {
  pragma(source: string, options?: { simple: boolean }): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown };
  exec(sql: string): void;
  close(): void;
}
/** better-sqlite3 as the ORM loads it. */
const Sqlite = createRequire(createRequire(import.meta.url).resolve('@mikro-orm/sqlite'))('better-sqlite3') as new (path: string, options: { timeout: number }) => Native;

const WAIT_MS = 300;
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function elapsed(work: () => void): { ms: number; code: unknown } {
  const started = performance.now();
  let code: unknown;
  try {
    work();
  } catch (error) {
    code = (error as { code?: unknown }).code;
  }
  return { ms: performance.now() - started, code };
}

it('after one write waited out the lock, the next fail at once; a write that gets through restores the wait', () => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-busy-'));
  const path = join(dir, 'db.sqlite');
  const ours = new Sqlite(path, { timeout: WAIT_MS });
  const theirs = new Sqlite(path, { timeout: WAIT_MS });
  try {
    ours.exec('pragma journal_mode = WAL; create table t (x integer)');
    const guard = busyGuardOf(ours);
    const insert = ours.prepare('insert into t values (1)');
    const write = () => guard.observe(() => insert.run(), true);

    theirs.exec('begin immediate'); // another connection holds the write lock
    const first = elapsed(write);
    expect(first.code).toBe('SQLITE_BUSY');
    expect(first.ms).toBeGreaterThanOrEqual(WAIT_MS * 0.9); // waited it out
    const next = elapsed(write);
    expect(next.code).toBe('SQLITE_BUSY');
    expect(next.ms).toBeLessThan(WAIT_MS / 3); // failed at once
    expect(ours.pragma('busy_timeout', { simple: true })).toBe(0);

    theirs.exec('commit');
    expect(elapsed(write).code).toBeUndefined();
    expect(ours.pragma('busy_timeout', { simple: true })).toBe(WAIT_MS);
    // Waiting again: a lock held now is waited for before giving up.
    theirs.exec('begin immediate');
    expect(elapsed(write).ms).toBeGreaterThanOrEqual(WAIT_MS * 0.9);
    theirs.exec('rollback');
  } finally {
    theirs.close();
    ours.close();
  }
});

it('is one guard per connection', () => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-busy-'));
  const connection = new Sqlite(join(dir, 'db.sqlite'), { timeout: WAIT_MS });
  try {
    expect(busyGuardOf(connection)).toBe(busyGuardOf(connection));
  } finally {
    connection.close();
  }
});
