import { beforeAll, describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';
import type { NewApiKey } from './api-key.repository.ts';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe.each(Object.entries(testTargets))('API keys on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let admin: number;
  const newKey = (n: number): NewApiKey => ({
    name: `Key ${n}`,
    prefix: `apk_prefix${n}`.slice(0, 12),
    keyHash: String(n).repeat(64).slice(0, 64),
    scopes: ['appointments:read', 'users:write'],
    createdBy: admin,
    createdAt: NOW,
    expiresAt: n % 2 ? at(3600) : null,
  });
  beforeAll(async () => {
    admin = (await database.db.fork().users.create({ email: 'keys-admin@example.com', fullName: 'A', role: 'admin', passwordHash: 'x', timezone: 'UTC' })).id;
  });

  it('creates a key and finds it by its hash, scopes and times as given', async () => {
    const created = await database.db.fork().apiKeys.create(newKey(1));
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Key 1',
      prefix: 'apk_prefix1',
      scopes: ['appointments:read', 'users:write'],
      createdBy: admin,
      createdAt: NOW,
      expiresAt: at(3600),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(await database.db.fork().apiKeys.findByHash(newKey(1).keyHash)).toEqual(created);
    expect(await database.db.fork().apiKeys.findByHash('0'.repeat(64))).toBeNull();
  });

  it('refuses a second key with the same hash', async () => {
    await database.db.fork().apiKeys.create(newKey(2));
    await expect(database.db.fork().apiKeys.create({ ...newKey(2), name: 'Twin' })).rejects.toThrow();
  });

  it('revokes once; a revoked key is found (to say so) but not listed', async () => {
    const key = await database.db.fork().apiKeys.create(newKey(3));
    expect((await database.db.fork().apiKeys.listActive()).map((k) => k.id)).toContain(key.id);
    expect(await database.db.fork().apiKeys.revoke(key.id, at(5))).toBe(true);
    expect(await database.db.fork().apiKeys.revoke(key.id, at(6))).toBe(false);
    expect(await database.db.fork().apiKeys.revoke(999_999, at(6))).toBe(false);
    expect((await database.db.fork().apiKeys.findByHash(newKey(3).keyHash))?.revokedAt).toEqual(at(5));
    expect((await database.db.fork().apiKeys.listActive()).map((k) => k.id)).not.toContain(key.id);
  });

  it('records a use only when the recorded one is older than the cutoff', async () => {
    const key = await database.db.fork().apiKeys.create(newKey(4));
    const lastUsed = async () => (await database.db.fork().apiKeys.findByHash(newKey(4).keyHash))?.lastUsedAt;
    await database.db.fork().apiKeys.recordUse(key.id, at(100), at(40));
    expect(await lastUsed()).toEqual(at(100));
    // Another process saw the same stale value: its write finds a use after its cutoff and changes nothing.
    await database.db.fork().apiKeys.recordUse(key.id, at(101), at(41));
    expect(await lastUsed()).toEqual(at(100));
    await database.db.fork().apiKeys.recordUse(key.id, at(161), at(101));
    expect(await lastUsed()).toEqual(at(161));
  });
});
