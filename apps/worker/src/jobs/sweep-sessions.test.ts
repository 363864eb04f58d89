import { describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/db/testing';
import { sweepSessions } from './sweep-sessions.ts';

describe.each(Object.entries(testTargets))('sweepSessions on %s', (_name, makeTarget) => {
  const database = useTestDatabase(makeTarget);

  it('removes expired sessions and keeps live ones', async () => {
    const repos = database.db.fork();
    const user = await repos.users.create({ email: 'w@example.com', fullName: 'W', role: 'client', passwordHash: 'x', timezone: 'UTC' });
    const now = new Date('2027-01-01T00:00:00Z');
    await repos.sessions.create({ id: 'e'.repeat(64), userId: user.id, expiresAt: new Date(now.getTime() - 1) });
    await repos.sessions.create({ id: 'l'.repeat(64), userId: user.id, expiresAt: new Date(now.getTime() + 60_000) });
    expect(await sweepSessions(database.db, now)).toBe(1);
    expect(await database.db.fork().sessions.findWithUser('l'.repeat(64))).not.toBeNull();
    expect(await database.db.fork().sessions.findWithUser('e'.repeat(64))).toBeNull();
  });
});
