import { describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/db/testing';
import { IDEMPOTENCY_KEY_LIFETIME_MS, sweepExpired } from './sweep-expired.ts';

describe.each(Object.entries(testTargets))('sweepExpired on %s', (_name, makeTarget) => {
  const database = useTestDatabase(makeTarget);

  it('removes expired sessions and old Idempotency-Key answers, and keeps live ones', async () => {
    const repos = database.db.fork();
    const user = await repos.users.create({ email: 'w@example.com', fullName: 'W', role: 'client', passwordHash: 'x', timezone: 'UTC' });
    const now = new Date();
    await repos.sessions.create({ id: 'e'.repeat(64), userId: user.id, expiresAt: new Date(now.getTime() - 1) });
    await repos.sessions.create({ id: 'l'.repeat(64), userId: user.id, expiresAt: new Date(now.getTime() + 60_000) });
    const answer = { requestHash: 'h'.repeat(64), statusCode: 201, response: { id: 1 } };
    expect(await repos.idempotency.save(user.id, 'fresh', answer)).toBe(true);

    // Stored now: nothing to prune yet. A day later, it is.
    expect(await sweepExpired(database.db, now)).toEqual({ sessions: 1, idempotencyKeys: 0 });
    expect(await database.db.fork().idempotency.find(user.id, 'fresh')).toEqual(answer);
    expect(await database.db.fork().sessions.findWithUser('l'.repeat(64))).not.toBeNull();
    expect(await sweepExpired(database.db, new Date(now.getTime() + IDEMPOTENCY_KEY_LIFETIME_MS + 60_000))).toEqual({ sessions: 1, idempotencyKeys: 1 });
    expect(await database.db.fork().idempotency.find(user.id, 'fresh')).toBeNull();
    expect(await database.db.fork().sessions.findWithUser('e'.repeat(64))).toBeNull();
  });
});
