import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedClient, QueryTimeoutError } from './bounded-client.ts';
import { Database } from '../database.ts';
import { postgresTestTarget, type TestTarget } from '@appointments/testkit/db';
import { isDatabaseUnavailable } from '../unavailable.ts';

describe('PostgreSQL queries bounded in time', () => {
  let scratch: TestTarget;
  let url: string;
  beforeAll(async () => {
    scratch = await postgresTestTarget();
    url = scratch.target.dialect === 'postgresql' ? scratch.target.url : '';
  });
  afterAll(() => scratch?.drop());

  it('fail as unavailable once unanswered, and their connection is dropped even when released as healthy (as Kysely does)', async () => {
    const pool = new pg.Pool({ connectionString: url, Client: boundedClient({ ms: 300 }) });
    try {
      const client = await pool.connect();
      const started = performance.now();
      const error: unknown = await client.query('select pg_sleep(5)').then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(QueryTimeoutError);
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(performance.now() - started).toBeLessThan(2_000);
      // Whatever else was sent on it fails at once, instead of queueing behind the stuck query.
      await expect(client.query('select 1')).rejects.toThrow();
      client.release();
      expect(pool.totalCount).toBe(0);
      expect((await pool.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('except migrations: one held up for longer still completes', async () => {
    const fresh = await postgresTestTarget();
    const freshUrl = fresh.target.dialect === 'postgresql' ? fresh.target.url : '';
    // One to hold a lock, one to watch (a transaction sees pg_stat_activity as it was when it began).
    const [holder, watcher] = [new pg.Client({ connectionString: freshUrl }), new pg.Client({ connectionString: freshUrl })];
    await Promise.all([holder.connect(), watcher.connect()]);
    try {
      // The first migration's first table: its CREATE waits for this transaction to end.
      await holder.query('begin');
      await holder.query('create table users (id int)');
      const opening = Database.open(fresh.target, { queryTimeoutMs: 300 });
      const heldPastTheBound = async () => {
        const waiting = "select 1 from pg_stat_activity where wait_event_type = 'Lock' and clock_timestamp() - query_start > interval '1 second'";
        while ((await watcher.query(waiting)).rowCount === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      };
      await Promise.race([heldPastTheBound(), opening]);
      await holder.query('rollback');
      await (await opening).close();
    } finally {
      await Promise.all([holder.end(), watcher.end()]);
      await fresh.drop();
    }
  }, 30_000);

  it('a transaction stuck behind a lock fails as unavailable within the bound, and the database serves on', async () => {
    const db = await Database.open(scratch.target, { queryTimeoutMs: 500 });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      const { id } = await db.fork().users.create({ email: 'held@example.com', fullName: 'Held', role: 'client', passwordHash: 'x', timezone: 'UTC' });
      await holder.query('begin');
      await holder.query('select id from users where id = $1 for update', [id]);

      const started = performance.now();
      const error: unknown = await db.transaction((repos) => repos.users.lockForUpdate(id)).then(() => null, (e: unknown) => e);
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(performance.now() - started).toBeLessThan(2_000);

      await holder.query('commit');
      expect((await db.transaction((repos) => repos.users.lockForUpdate(id))).email).toBe('held@example.com');
    } finally {
      await holder.end();
      await db.close();
    }
  }, 30_000);

  it('a session left idle in a transaction (its client gone quiet) is ended by the server, and its locks go with it', async () => {
    const db = await Database.open(scratch.target, { queryTimeoutMs: 300 });
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      const { id } = await db.fork().users.create({ email: 'idle@example.com', fullName: 'Idle', role: 'client', passwordHash: 'x', timezone: 'UTC' });
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const idle = db.transaction(async (repos) => {
        await repos.users.lockForUpdate(id);
        locked();
        // Past idle_in_transaction_session_timeout (twice the query timeout): as a client stalled on a hung network.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      });
      await isLocked;
      // Waits for the lock until the server ends the idle session, well within the 1.5 s the holder sleeps.
      const started = performance.now();
      await other.query('begin');
      await other.query('select id from users where id = $1 for update', [id]);
      await other.query('commit');
      expect(performance.now() - started).toBeLessThan(1_200);
      const error: unknown = await idle.then(() => null, (e: unknown) => e);
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    } finally {
      await other.end();
      await db.close();
    }
  }, 30_000);

  it('connections lost mid-transaction do not use up the pool (Kysely keeps one whose rollback failed)', async () => {
    const db = await Database.open(scratch.target, { queryTimeoutMs: 2_000 });
    const killer = new pg.Client({ connectionString: url });
    await killer.connect();
    try {
      const { id } = await db.fork().users.create({ email: 'lost@example.com', fullName: 'Lost', role: 'client', passwordHash: 'x', timezone: 'UTC' });
      const terminateOthers = 'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()';
      // More than the pool's 10 connections.
      for (let i = 0; i < 12; i++) {
        const error: unknown = await db
          .transaction(async (repos) => {
            await repos.users.lockForUpdate(id);
            await killer.query(terminateOthers);
            await repos.users.lockForUpdate(id);
          })
          .then(() => null, (e: unknown) => e);
        expect(isDatabaseUnavailable(error), String(error)).toBe(true);
      }
      const started = performance.now();
      expect((await db.fork().users.findById(id))?.email).toBe('lost@example.com');
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      await killer.end();
      await db.close();
    }
  }, 60_000);
});
