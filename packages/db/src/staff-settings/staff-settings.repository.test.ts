import { describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

describe.each(Object.entries(testTargets))('staff settings on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let n = 0;

  const newStaff = async () =>
    (await database.db.fork().users.create({ email: `staff${++n}@example.com`, fullName: 'Staff', role: 'staff', passwordHash: 'x', timezone: 'UTC' })).id;
  const defaults = { bufferBeforeMinutes: null, bufferAfterMinutes: null, minNoticeMinutes: null, maxAdvanceDays: null, slotIntervalMinutes: null, maxBookingsPerDay: null };

  it('reads all defaults (nulls) for a staff member who never set anything', async () => {
    expect(await database.db.fork().staffSettings.get(await newStaff())).toEqual(defaults);
  });

  it('updates only the given fields: undefined leaves, null returns to the default', async () => {
    const staffId = await newStaff();
    expect(await database.db.fork().staffSettings.update(staffId, { bufferBeforeMinutes: 10, slotIntervalMinutes: 15 })).toEqual({
      ...defaults,
      bufferBeforeMinutes: 10,
      slotIntervalMinutes: 15,
    });
    const updated = await database.db.fork().staffSettings.update(staffId, { bufferBeforeMinutes: null, maxAdvanceDays: 30, minNoticeMinutes: undefined });
    expect(updated).toEqual({ ...defaults, slotIntervalMinutes: 15, maxAdvanceDays: 30 });
    expect(await database.db.fork().staffSettings.get(staffId)).toEqual(updated);
    expect(await database.db.fork().staffSettings.update(staffId, {})).toEqual(updated);
  });

  it('lets two first updates race without losing either (one upsert statement each)', async () => {
    const staffId = await newStaff();
    await Promise.all([
      database.db.fork().staffSettings.update(staffId, { bufferAfterMinutes: 5 }),
      database.db.fork().staffSettings.update(staffId, { minNoticeMinutes: 60 }),
    ]);
    expect(await database.db.fork().staffSettings.get(staffId)).toEqual({ ...defaults, bufferAfterMinutes: 5, minNoticeMinutes: 60 });
  });

  it('sees its own write inside a transaction', async () => {
    const staffId = await newStaff();
    const seen = await database.db.transaction(async (repos) => {
      await repos.staffSettings.get(staffId);
      await repos.staffSettings.update(staffId, { maxAdvanceDays: 7 });
      return repos.staffSettings.get(staffId);
    });
    expect(seen.maxAdvanceDays).toBe(7);
  });

  it('refuses settings for a user that does not exist', async () => {
    await expect(database.db.fork().staffSettings.update(999_999, { maxAdvanceDays: 1 })).rejects.toMatchObject({ code: 'USER.NOT_FOUND' });
  });
});
