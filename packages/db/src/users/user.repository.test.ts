import { describe, expect, it } from 'vitest';
import { DomainError } from '@appointments/domain';
import { testTargets, useTestDatabase } from '../testing.ts';

describe.each(Object.entries(testTargets))('users and sessions on %s', (_name, makeTarget) => {
  const database = useTestDatabase(makeTarget);

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
    expect(user).toMatchObject({ email: 'ada@example.com', role: 'client', noShowCount: 0, isBlocked: false, isActive: true });
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

  it('refuses a second user with the same email with a stable code', async () => {
    await database.db.fork().users.create(newUser('dup@example.com'));
    const attempt = database.db.fork().users.create(newUser('dup@example.com'));
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(database.db.fork().users.create(newUser('dup@example.com'))).rejects.toMatchObject({ code: 'USER.EMAIL_TAKEN' });
  });

  it('pages users in id order and counts them all', async () => {
    const repos = database.db.fork();
    for (const i of [1, 2, 3]) await repos.users.create(newUser(`page${i}@example.com`));
    const { items, total } = await database.db.fork().users.list({ offset: 1, limit: 2 });
    expect(total).toBeGreaterThanOrEqual(5);
    expect(items).toHaveLength(2);
    expect(items[0]!.id).toBeLessThan(items[1]!.id);
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
});
