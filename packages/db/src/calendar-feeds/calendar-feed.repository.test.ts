import { beforeAll, describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

describe.each(Object.entries(testTargets))('calendar feeds on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let owner: number;
  let other: number;
  beforeAll(async () => {
    const user = (email: string) => database.db.fork().users.create({ email, fullName: 'F', role: 'client', passwordHash: 'x', timezone: 'UTC' });
    owner = (await user('owner@example.com')).id;
    other = (await user('other@example.com')).id;
  });

  it('creates, lists, uses and revokes a feed; only its owner can revoke it', async () => {
    const feed = await database.db.fork().calendarFeeds.create({ userId: owner, tokenHash: 'a'.repeat(64), name: 'Phone' });
    expect(feed).toMatchObject({ userId: owner, name: 'Phone', lastUsedAt: null });
    expect(await database.db.fork().calendarFeeds.listForUser(owner)).toEqual([feed]);
    expect(await database.db.fork().calendarFeeds.listForUser(other)).toEqual([]);

    const polled = new Date('2030-01-01T00:00:00Z');
    const used = await database.db.fork().calendarFeeds.use('a'.repeat(64), polled);
    expect(used?.user.email).toBe('owner@example.com');
    expect((await database.db.fork().calendarFeeds.listForUser(owner))[0]?.lastUsedAt?.toISOString()).toBe(polled.toISOString());
    expect(await database.db.fork().calendarFeeds.use('b'.repeat(64), polled)).toBeNull();

    expect(await database.db.fork().calendarFeeds.revoke(feed.id, other)).toBe(false);
    expect(await database.db.fork().calendarFeeds.revoke(feed.id, owner)).toBe(true);
    expect(await database.db.fork().calendarFeeds.use('a'.repeat(64), polled)).toBeNull();
  });

  it('refuses a duplicate token hash', async () => {
    await database.db.fork().calendarFeeds.create({ userId: owner, tokenHash: 'c'.repeat(64), name: null });
    await expect(database.db.fork().calendarFeeds.create({ userId: other, tokenHash: 'c'.repeat(64), name: null })).rejects.toThrow();
  });
});
