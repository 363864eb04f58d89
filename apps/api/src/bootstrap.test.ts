import { describe, expect, it } from 'vitest';
import { Database } from '@appointments/db';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { hashPassword, verifyPassword } from './auth/passwords.ts';
import { ensureAdmin } from './bootstrap.ts';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, isLevelEnabled: () => false };

describe.each(Object.keys(testTargets) as (keyof typeof testTargets)[])('ensureAdmin on %s', (dialect) => {
  const database = useTestDatabase(Database.open, testTargets[dialect]);
  const find = async (email: string) => (await database.db.fork().users.findCredentials(email))!;

  it('creates the admin once and never overwrites its password later', async () => {
    expect(await ensureAdmin(database.db, quiet, 'boss@example.com', 'first-password', 'UTC')).toBe(true);
    expect(await ensureAdmin(database.db, quiet, 'boss@example.com', 'second-password', 'UTC')).toBe(false);
    const { user, passwordHash } = await find('boss@example.com');
    expect(user.role).toBe('admin');
    expect(await verifyPassword(passwordHash, 'first-password')).toBe(true);
  });

  it('does not promote an account registered by someone who does not know ADMIN_PASSWORD', async () => {
    await database.db.fork().users.create({ email: 'ops@example.com', fullName: 'Squatter', role: 'client', passwordHash: await hashPassword('attacker-pass'), timezone: 'UTC' });
    await ensureAdmin(database.db, quiet, 'ops@example.com', 'the-real-admin-pass', 'UTC');
    expect((await find('ops@example.com')).user.role).toBe('client');
  });

  it('restores a demoted or deactivated admin when ADMIN_PASSWORD is its password', async () => {
    const { user } = await find('boss@example.com');
    await database.db.fork().users.update(user.id, { role: 'staff', isActive: false });
    await ensureAdmin(database.db, quiet, 'boss@example.com', 'first-password', 'UTC');
    expect((await find('boss@example.com')).user).toMatchObject({ role: 'admin', isActive: true });
  });
});
