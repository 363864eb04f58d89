import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@appointments/db';
import { testTargets, type TestTarget } from '@appointments/db/testing';
import { hashPassword, verifyPassword } from './auth/passwords.ts';
import { ensureAdmin } from './bootstrap.ts';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.each(Object.keys(testTargets) as (keyof typeof testTargets)[])('ensureAdmin on %s', (dialect) => {
  let target: TestTarget;
  let db: Database;
  beforeAll(async () => {
    target = await testTargets[dialect]();
    db = await Database.open(target.target);
  });
  afterAll(async () => {
    await db?.close();
    await target?.drop();
  });
  const find = async (email: string) => (await db.fork().users.findCredentials(email))!;

  it('creates the admin once and never overwrites its password later', async () => {
    await ensureAdmin(db, quiet, 'boss@example.com', 'first-password', 'UTC');
    await ensureAdmin(db, quiet, 'boss@example.com', 'second-password', 'UTC');
    const { user, passwordHash } = await find('boss@example.com');
    expect(user.role).toBe('admin');
    expect(await verifyPassword(passwordHash, 'first-password')).toBe(true);
  });

  it('does not promote an account registered by someone who does not know ADMIN_PASSWORD', async () => {
    await db.fork().users.create({ email: 'ops@example.com', fullName: 'Squatter', role: 'client', passwordHash: await hashPassword('attacker-pass'), timezone: 'UTC' });
    await ensureAdmin(db, quiet, 'ops@example.com', 'the-real-admin-pass', 'UTC');
    expect((await find('ops@example.com')).user.role).toBe('client');
  });

  it('restores a demoted or deactivated admin when ADMIN_PASSWORD is its password', async () => {
    const { user } = await find('boss@example.com');
    await db.fork().users.update(user.id, { role: 'staff', isActive: false });
    await ensureAdmin(db, quiet, 'boss@example.com', 'first-password', 'UTC');
    expect((await find('boss@example.com')).user).toMatchObject({ role: 'admin', isActive: true });
  });
});
