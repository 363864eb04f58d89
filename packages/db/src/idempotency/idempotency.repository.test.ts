import { beforeAll, describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

describe.each(Object.entries(testTargets))('idempotency keys on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let userId: number;
  let otherUserId: number;
  beforeAll(async () => {
    const user = (email: string) => database.db.fork().users.create({ email, fullName: 'Client', role: 'client', passwordHash: 'x', timezone: 'UTC' });
    userId = (await user('one@example.com')).id;
    otherUserId = (await user('two@example.com')).id;
  });

  const entry = { requestHash: 'a'.repeat(64), statusCode: 201, response: { id: 7, notes: 'ünïcode', tags: [1, null] } };

  it('saves an answer once and replays it; a second save of the key is refused and changes nothing', async () => {
    expect(await database.db.fork().idempotency.find(userId, 'key-1')).toBeNull();
    expect(await database.db.fork().idempotency.save(userId, 'key-1', entry)).toBe(true);
    expect(await database.db.fork().idempotency.find(userId, 'key-1')).toEqual(entry);
    expect(await database.db.fork().idempotency.save(userId, 'key-1', { requestHash: 'b'.repeat(64), statusCode: 500, response: null })).toBe(false);
    expect(await database.db.fork().idempotency.find(userId, 'key-1')).toEqual(entry);
  });

  it('keeps keys per user', async () => {
    await database.db.fork().idempotency.save(userId, 'shared', entry);
    expect(await database.db.fork().idempotency.find(otherUserId, 'shared')).toBeNull();
    expect(await database.db.fork().idempotency.save(otherUserId, 'shared', { ...entry, statusCode: 200 })).toBe(true);
    expect((await database.db.fork().idempotency.find(otherUserId, 'shared'))?.statusCode).toBe(200);
  });

  it('a refused save does not spoil the surrounding transaction', async () => {
    await database.db.fork().idempotency.save(userId, 'in-tx', entry);
    await database.db.transaction(async (repos) => {
      expect(await repos.idempotency.save(userId, 'in-tx', entry)).toBe(false);
      expect(await repos.idempotency.save(userId, 'in-tx-2', entry)).toBe(true);
    });
    expect(await database.db.fork().idempotency.find(userId, 'in-tx-2')).toEqual(entry);
  });

  it('stores a key of the full 255 characters', async () => {
    const key = 'k'.repeat(255);
    expect(await database.db.fork().idempotency.save(userId, key, entry)).toBe(true);
    expect(await database.db.fork().idempotency.find(userId, key)).toEqual(entry);
  });
});
