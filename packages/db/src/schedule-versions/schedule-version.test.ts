import { describe, expect, it } from 'vitest';
import { sqliteTestTarget, testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

const HOUR = 3_600_000;

describe.each(Object.entries(testTargets))('schedule versions on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);

  it('every write a staff member’s slots depend on moves their version, and only theirs', async () => {
    const { db } = database;
    const create = (email: string, role: 'staff' | 'client') =>
      db.fork().users.create({ email, fullName: 'Ada', role, passwordHash: 'x', timezone: 'Europe/Berlin' });
    const staff = await create('versions-staff@example.com', 'staff');
    const other = await create('versions-other@example.com', 'staff');
    const client = await create('versions-client@example.com', 'client');
    const otherBefore = await db.scheduleVersion(other.id);

    // The setup version moves with everything but appointments (what a booking is checked against).
    const setupVersion = async () => (await db.fork().appointments.bookingSetup(staff.id)).setupVersion;
    let last = await db.scheduleVersion(staff.id);
    let lastSetup = await setupVersion();
    const moved = async (what: string, setupToo = true) => {
      const now = await db.scheduleVersion(staff.id);
      expect(now, what).toBeGreaterThan(last);
      last = now;
      const setup = await setupVersion();
      if (setupToo) expect(setup, `${what}: setup`).toBeGreaterThan(lastSetup);
      else expect(setup, `${what}: setup`).toBe(lastSetup);
      lastSetup = setup;
    };
    const rule = await db.fork().availability.create({ staffId: staff.id, kind: 'available', type: 'weekly', dayOfWeek: 1, startTime: '09:00:00', endTime: '17:00:00' });
    await moved('availability added');
    await db.fork().availability.update(rule.id, { kind: 'available', type: 'weekly', dayOfWeek: 2, startTime: '09:00:00', endTime: '17:00:00' });
    await moved('availability changed');
    await db.fork().availability.delete(rule.id);
    await moved('availability removed');
    await db.fork().staffSettings.update(staff.id, { minNoticeMinutes: 60 });
    await moved('settings created');
    await db.fork().staffSettings.update(staff.id, { bufferAfterMinutes: 10 });
    await moved('settings changed');
    const start = Date.UTC(2031, 0, 6, 9);
    const end = start + HOUR;
    const appointment = await db.fork().appointments.create({ clientId: client.id, staffId: staff.id, start, end, bufferedStart: start, bufferedEnd: end, notes: null });
    await moved('appointment booked', false);
    await db.fork().appointments.transition(appointment, { status: 'cancelled' });
    await moved('appointment cancelled', false);
    await db.fork().users.update(staff.id, { timezone: 'America/New_York' });
    await moved('zone changed');
    await db.fork().users.update(staff.id, { isActive: false });
    await moved('deactivated');

    expect(await db.scheduleVersion(other.id)).toBe(otherBefore);
    expect(await db.scheduleVersion(999_999)).toBe(0);
  });

  it('a rolled-back write leaves the version where it was', async () => {
    const { db } = database;
    const staff = await db.fork().users.create({ email: 'versions-rollback@example.com', fullName: 'Ada', role: 'staff', passwordHash: 'x', timezone: 'UTC' });
    const before = await db.scheduleVersion(staff.id);
    await expect(
      db.transaction(async (repos) => {
        await repos.availability.create({ staffId: staff.id, kind: 'available', type: 'weekly', dayOfWeek: 1, startTime: '09:00:00', endTime: '17:00:00' });
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await db.scheduleVersion(staff.id)).toBe(before);
  });
});

describe('schedule versions on a SQLite file', () => {
  it('are read from committed data: a write still in its transaction is not seen', async () => {
    const scratch = sqliteTestTarget();
    const db = await Database.open(scratch.target);
    try {
      const staff = await db.fork().users.create({ email: 'versions-open@example.com', fullName: 'Ada', role: 'staff', passwordHash: 'x', timezone: 'UTC' });
      const before = await db.scheduleVersion(staff.id);
      let during = -1;
      await db.transaction(async (repos) => {
        await repos.availability.create({ staffId: staff.id, kind: 'available', type: 'weekly', dayOfWeek: 1, startTime: '09:00:00', endTime: '17:00:00' });
        during = await db.scheduleVersion(staff.id);
      });
      expect(during).toBe(before);
      expect(await db.scheduleVersion(staff.id)).toBeGreaterThan(before);
    } finally {
      await db.close();
      await scratch.drop();
    }
  });
});
