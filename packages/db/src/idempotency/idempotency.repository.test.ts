import { beforeAll, describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';
import type { IdempotencyOwner } from './idempotency.repository.ts';

describe.each(Object.entries(testTargets))('idempotency keys on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let user: IdempotencyOwner;
  let otherUser: IdempotencyOwner;
  let apiKey: IdempotencyOwner;
  beforeAll(async () => {
    const create = (email: string) => database.db.fork().users.create({ email, fullName: 'Client', role: 'client', passwordHash: 'x', timezone: 'UTC' });
    const one = await create('one@example.com');
    user = { userId: one.id };
    otherUser = { userId: (await create('two@example.com')).id };
    const key = await database.db.fork().apiKeys.create({ name: 'Sync', prefix: 'apk_abcdefgh', keyHash: 'f'.repeat(64), scopes: ['appointments:write'], createdBy: one.id, createdAt: new Date(), expiresAt: null });
    // The same number as the user's id: owners are told apart by kind, not by number alone.
    expect(key.id).toBe(one.id);
    apiKey = { apiKeyId: key.id };
  });

  const entry = { requestHash: 'a'.repeat(64), statusCode: 201, response: { id: 7, notes: 'ünïcode', tags: [1, null] } };

  it('saves an answer once and replays it; a second save of the key is refused and changes nothing', async () => {
    for (const owner of [user, apiKey]) {
      expect(await database.db.fork().idempotency.find(owner, 'key-1')).toBeNull();
      expect(await database.db.fork().idempotency.save(owner, 'key-1', entry)).toBe(true);
      expect(await database.db.fork().idempotency.find(owner, 'key-1')).toEqual(entry);
      expect(await database.db.fork().idempotency.save(owner, 'key-1', { requestHash: 'b'.repeat(64), statusCode: 500, response: null })).toBe(false);
      expect(await database.db.fork().idempotency.find(owner, 'key-1')).toEqual(entry);
    }
  });

  it('keeps keys per owner: per user, and an API key apart from every user', async () => {
    await database.db.fork().idempotency.save(user, 'shared', entry);
    expect(await database.db.fork().idempotency.find(otherUser, 'shared')).toBeNull();
    expect(await database.db.fork().idempotency.find(apiKey, 'shared')).toBeNull();
    expect(await database.db.fork().idempotency.save(otherUser, 'shared', { ...entry, statusCode: 200 })).toBe(true);
    expect(await database.db.fork().idempotency.save(apiKey, 'shared', { ...entry, statusCode: 202 })).toBe(true);
    expect((await database.db.fork().idempotency.find(otherUser, 'shared'))?.statusCode).toBe(200);
    expect((await database.db.fork().idempotency.find(apiKey, 'shared'))?.statusCode).toBe(202);
    expect((await database.db.fork().idempotency.find(user, 'shared'))?.statusCode).toBe(201);
  });

  it('a refused save does not spoil the surrounding transaction', async () => {
    await database.db.fork().idempotency.save(user, 'in-tx', entry);
    await database.db.transaction(async (repos) => {
      expect(await repos.idempotency.save(user, 'in-tx', entry)).toBe(false);
      expect(await repos.idempotency.save(user, 'in-tx-2', entry)).toBe(true);
    });
    expect(await database.db.fork().idempotency.find(user, 'in-tx-2')).toEqual(entry);
  });

  it('stores a key of the full 255 characters', async () => {
    const key = 'k'.repeat(255);
    expect(await database.db.fork().idempotency.save(user, key, entry)).toBe(true);
    expect(await database.db.fork().idempotency.find(user, key)).toEqual(entry);
  });
});
