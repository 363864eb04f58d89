import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@appointments/db';
import { testTargets, type TestTarget } from '@appointments/db/testing';
import { sweepSessions } from './sweep-sessions.ts';

describe.each(Object.entries(testTargets))('sweepSessions on %s', (_name, makeTarget) => {
  let target: TestTarget;
  let db: Database;
  beforeAll(async () => {
    target = await makeTarget();
    db = await Database.open(target.target);
  });
  afterAll(async () => {
    await db?.close();
    await target?.drop();
  });

  it('removes expired sessions and keeps live ones', async () => {
    const repos = db.fork();
    const user = await repos.users.create({ email: 'w@example.com', fullName: 'W', role: 'client', passwordHash: 'x', timezone: 'UTC' });
    const now = new Date('2027-01-01T00:00:00Z');
    await repos.sessions.create({ id: 'e'.repeat(64), userId: user.id, expiresAt: new Date(now.getTime() - 1) });
    await repos.sessions.create({ id: 'l'.repeat(64), userId: user.id, expiresAt: new Date(now.getTime() + 60_000) });
    expect(await sweepSessions(db, now)).toBe(1);
    expect(await db.fork().sessions.findWithUser('l'.repeat(64))).not.toBeNull();
    expect(await db.fork().sessions.findWithUser('e'.repeat(64))).toBeNull();
  });
});
