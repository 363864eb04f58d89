import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DomainError, type User } from '@appointments/domain';
import { Database } from '../database.ts';
import { sqliteTestTarget, testTargets, useTestDatabase } from '@appointments/testkit/db';

const counters = (user: User) => ({ noShowCount: user.noShowCount, completedCount: user.completedCount, isBlocked: user.isBlocked });

describe.each(Object.entries(testTargets))('users and sessions on %s', (name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);

  const newUser = (email: string) => ({
    email,
    fullName: 'Ada Lovelace',
    role: 'client' as const,
    passwordHash: '$argon2id$fake',
    timezone: 'Europe/Berlin',
  });

  it('migrations leave nothing for the schema generator to add', async () => {
    expect(await database.db.pendingSchemaDiff()).toBe('');
  });

  it('creates a user and reads it back as plain data without the hash', async () => {
    const user = await database.db.fork().users.create(newUser('ada@example.com'));
    expect(user).toMatchObject({ email: 'ada@example.com', role: 'client', noShowCount: 0, completedCount: 0, isBlocked: false, isActive: true });
    expect(user).not.toHaveProperty('passwordHash');
    const creds = await database.db.fork().users.findCredentials('ada@example.com');
    expect(creds?.user).toEqual(user);
    expect(creds?.passwordHash).toBe('$argon2id$fake');
  });

  it('finds a user by id, or null', async () => {
    const user = await database.db.fork().users.create(newUser('byid@example.com'));
    expect(await database.db.fork().users.findById(user.id)).toEqual(user);
    expect(await database.db.fork().users.findById(999_999)).toBeNull();
  });

  it('finds a user by email, or null', async () => {
    const user = await database.db.fork().users.create(newUser('byemail@example.com'));
    expect(await database.db.fork().users.findByEmail('byemail@example.com')).toEqual(user);
    expect(await database.db.fork().users.findByEmail('nobody@example.com')).toBeNull();
  });

  it('refuses a second user with the same email with a stable code', async () => {
    await database.db.fork().users.create(newUser('dup@example.com'));
    const attempt = database.db.fork().users.create(newUser('dup@example.com'));
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(database.db.fork().users.create(newUser('dup@example.com'))).rejects.toMatchObject({ code: 'USER.EMAIL_TAKEN' });
  });

  it('pages users in id order, at an offset or after an id, and counts them all', async () => {
    const repos = database.db.fork();
    for (const i of [1, 2, 3]) await repos.users.create(newUser(`page${i}@example.com`));
    expect(await repos.users.count()).toBeGreaterThanOrEqual(5);
    const { items, more } = await repos.users.list({ offset: 1, limit: 2 });
    expect(more).toBe(true);
    expect(items).toHaveLength(2);
    expect(items[0]!.id).toBeLessThan(items[1]!.id);
    const after = await repos.users.list({ after: [items[0]!.id], limit: 1 });
    expect(after.items.map((user) => user.id)).toEqual([items[1]!.id]);
    const last = (await repos.users.list({ limit: 1000 })).items.at(-1)!;
    expect(await repos.users.list({ after: [last.id], limit: 10 })).toEqual({ items: [], more: false });
  });

  it('updates fields and reports a missing user', async () => {
    const user = await database.db.fork().users.create(newUser('upd@example.com'));
    const updated = await database.db.fork().users.update(user.id, { fullName: 'Ada King', timezone: 'UTC', isBlocked: true });
    expect(updated).toMatchObject({ fullName: 'Ada King', timezone: 'UTC', isBlocked: true });
    await expect(database.db.fork().users.update(999_999, { fullName: 'x' })).rejects.toMatchObject({ code: 'USER.NOT_FOUND' });
  });

  it('stores sessions, finds them with their user, extends and revokes them', async () => {
    const user = await database.db.fork().users.create(newUser('sess@example.com'));
    const expiresAt = new Date('2030-01-01T00:00:00.000Z');
    await database.db.fork().sessions.create({ id: 'a'.repeat(64), userId: user.id, expiresAt });
    await database.db.fork().sessions.create({ id: 'b'.repeat(64), userId: user.id, expiresAt });
    const found = await database.db.fork().sessions.findWithUser('a'.repeat(64));
    expect(found?.session.expiresAt.toISOString()).toBe(expiresAt.toISOString());
    expect(found?.user.email).toBe('sess@example.com');

    const later = new Date('2030-02-01T00:00:00.000Z');
    await database.db.fork().sessions.extend('a'.repeat(64), later);
    expect((await database.db.fork().sessions.findWithUser('a'.repeat(64)))?.session.expiresAt.toISOString()).toBe(later.toISOString());

    expect(await database.db.fork().sessions.deleteForUser(user.id, 'a'.repeat(64))).toBe(1);
    expect(await database.db.fork().sessions.findWithUser('b'.repeat(64))).toBeNull();
    expect(await database.db.fork().sessions.deleteExpired(new Date('2030-03-01T00:00:00.000Z'))).toBeGreaterThanOrEqual(1);
    expect(await database.db.fork().sessions.findWithUser('a'.repeat(64))).toBeNull();
  });

  it('commits a transaction as a whole or not at all', async () => {
    await expect(
      database.db.transaction(async (repos) => {
        await repos.users.create(newUser('tx@example.com'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await database.db.fork().users.findCredentials('tx@example.com')).toBeNull();
  });

  it('setCounters writes the given counters and block, and reports a missing user', async () => {
    const user = await database.db.fork().users.create(newUser('counters@example.com'));
    const updated = await database.db.fork().users.setCounters(user.id, { noShowCount: 3, completedCount: 7, isBlocked: true });
    expect(updated).toEqual({ ...user, noShowCount: 3, completedCount: 7, isBlocked: true });
    expect(await database.db.fork().users.findById(user.id)).toEqual(updated);
    await expect(database.db.fork().users.setCounters(999_999, counters(user))).rejects.toMatchObject({ code: 'USER.NOT_FOUND' });
  });

  it('lockForUpdate reads the current row, only inside a transaction, and reports a missing user', async () => {
    const user = await database.db.fork().users.create(newUser('lock@example.com'));
    const current = await database.db.fork().users.setCounters(user.id, { ...counters(user), completedCount: 2 });
    await expect(database.db.fork().users.lockForUpdate(user.id)).rejects.toThrow(/transaction/);
    expect(await database.db.transaction((tx) => tx.users.lockForUpdate(user.id))).toEqual(current);
    await expect(database.db.transaction((tx) => tx.users.lockForUpdate(999_999))).rejects.toMatchObject({ code: 'USER.NOT_FOUND' });
  });

  // PostgreSQL only: SQLite runs one transaction at a time per process, so nothing can write in between.
  it.runIf(name === 'postgresql')('lockForUpdate does not answer from a copy the transaction loaded before', async () => {
    const user = await database.db.fork().users.create(newUser('lock-stale@example.com'));
    const locked = await database.db.transaction(async (tx) => {
      await tx.users.findById(user.id);
      await database.db.fork().users.setCounters(user.id, { ...counters(user), noShowCount: 1 });
      return tx.users.lockForUpdate(user.id);
    });
    expect(locked.noShowCount).toBe(1);
  });

  it('loses no increment when concurrent transactions each lockForUpdate → +1 → setCounters', async () => {
    const user = await database.db.fork().users.create(newUser('race@example.com'));
    const N = 8;
    await Promise.all(
      Array.from({ length: N }, () =>
        database.db.transaction(async (tx) => {
          const current = await tx.users.lockForUpdate(user.id);
          // Widen the window between read and write: without the lock, every transaction would read 0.
          await new Promise((resolve) => setTimeout(resolve, 5));
          await tx.users.setCounters(user.id, { ...counters(current), completedCount: current.completedCount + 1 });
        }),
      ),
    );
    expect((await database.db.fork().users.findById(user.id))?.completedCount).toBe(N);
  });

  it('records blocks and unblocks in the user history, oldest first, per user', async () => {
    const admin = await database.db.fork().users.create(newUser('events-admin@example.com'));
    const user = await database.db.fork().users.create(newUser('events@example.com'));
    const other = await database.db.fork().users.create(newUser('events-other@example.com'));
    const repos = database.db.fork();
    const blocked = await repos.userEvents.append({ userId: user.id, actorId: null, actorApiKeyId: null, at: new Date('2030-01-02T00:00:00.000Z'), action: 'blocked', reason: 'Reached 3 no-shows' });
    expect(blocked).toEqual({ id: expect.any(Number), userId: user.id, actorId: null, actorApiKeyId: null, at: new Date('2030-01-02T00:00:00.000Z'), action: 'blocked', reason: 'Reached 3 no-shows' });
    await repos.userEvents.append({ userId: other.id, actorId: admin.id, actorApiKeyId: null, at: new Date('2030-01-01T00:00:00.000Z'), action: 'blocked', reason: null });
    // Appended later with an earlier clock reading: history keeps the order of appending.
    const unblocked = await database.db.fork().userEvents.append({ userId: user.id, actorId: admin.id, actorApiKeyId: null, at: new Date('2030-01-01T12:00:00.000Z'), action: 'unblocked', reason: null });
    expect(await database.db.fork().userEvents.listFor(user.id)).toEqual([blocked, unblocked]);
    expect(await database.db.fork().userEvents.listFor(999_999)).toEqual([]);
  });
});

describe('counters on SQLite across processes (each its own connection to one file)', () => {
  it('loses no increment and fails no transaction: lockForUpdate takes the write lock before reading', async () => {
    const scratch = sqliteTestTarget();
    const path = scratch.target.dialect === 'sqlite' ? scratch.target.path : '';
    const db = await Database.open(scratch.target);
    try {
      const user = await db.fork().users.create({ email: 'procs@example.com', fullName: 'P', role: 'client', passwordHash: 'x', timezone: 'UTC' });
      const [processes, times] = [3, 10];
      const fixture = join(import.meta.dirname, 'increment-completed.fixture.ts');
      await Promise.all(Array.from({ length: processes }, () => promisify(execFile)(process.execPath, [fixture, path, String(user.id), String(times)])));
      expect((await db.fork().users.findById(user.id))?.completedCount).toBe(processes * times);
    } finally {
      await db.close();
      await scratch.drop();
    }
  }, 30_000);
});
