import { beforeAll, describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

describe.each(Object.entries(testTargets))('availability on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let staffId: number;
  let otherStaffId: number;
  beforeAll(async () => {
    const staff = (email: string) =>
      database.db.fork().users.create({ email, fullName: 'Grace Hopper', role: 'staff', passwordHash: 'x', timezone: 'Europe/Berlin' });
    staffId = (await staff('grace@example.com')).id;
    otherStaffId = (await staff('other@example.com')).id;
  });

  const weekly = { kind: 'available', type: 'weekly', dayOfWeek: 0, startTime: '09:00:00', endTime: '17:00:00' } as const;
  const date = { kind: 'unavailable', type: 'date', date: '2030-12-24', startTime: '12:00:00', endTime: '24:00:00' } as const;
  const range = { kind: 'unavailable', type: 'range', start: Date.parse('2030-08-01T00:00:00Z'), end: Date.parse('2030-08-15T00:00:00Z') } as const;

  it('stores each type of rule and reads it back exactly, as plain data', async () => {
    for (const rule of [weekly, date, range]) {
      const created = await database.db.fork().availability.create({ staffId, ...rule });
      expect(created).toEqual({ id: expect.any(Number), staffId, ...rule });
      expect(await database.db.fork().availability.findById(created.id)).toEqual(created);
    }
    expect(await database.db.fork().availability.findById(999_999)).toBeNull();
  });

  it("lists one staff member's rules only, in creation order", async () => {
    const first = await database.db.fork().availability.create({ staffId: otherStaffId, ...date });
    const second = await database.db.fork().availability.create({ staffId: otherStaffId, ...weekly });
    await database.db.fork().availability.create({ staffId, ...weekly });
    expect(await database.db.fork().availability.listForStaff(otherStaffId)).toEqual([first, second]);
    expect(await database.db.fork().availability.listForStaff(999_999)).toEqual([]);
  });

  it('replaces a rule on update, leaving none of the old type behind', async () => {
    const rule = await database.db.fork().availability.create({ staffId, ...weekly });
    const asRange = await database.db.fork().availability.update(rule.id, range);
    expect(asRange).toEqual({ id: rule.id, staffId, ...range });
    expect(await database.db.fork().availability.findById(rule.id)).toEqual(asRange);
    const asDate = await database.db.fork().availability.update(rule.id, date);
    expect(await database.db.fork().availability.findById(rule.id)).toEqual({ id: rule.id, staffId, ...date });
    expect(asDate).toEqual({ id: rule.id, staffId, ...date });
    await expect(database.db.fork().availability.update(999_999, weekly)).rejects.toMatchObject({ code: 'AVAILABILITY.NOT_FOUND' });
  });

  it('deletes a rule and says whether there was one', async () => {
    const rule = await database.db.fork().availability.create({ staffId, ...date });
    expect(await database.db.fork().availability.delete(rule.id)).toBe(true);
    expect(await database.db.fork().availability.delete(rule.id)).toBe(false);
    expect(await database.db.fork().availability.findById(rule.id)).toBeNull();
  });

  it('refuses a rule for a user that does not exist', async () => {
    await expect(database.db.fork().availability.create({ staffId: 999_999, ...weekly })).rejects.toMatchObject({ code: 'USER.NOT_FOUND' });
  });

  it('refuses rows whose columns do not fit their type (check constraint)', async () => {
    await expect(database.db.fork().availability.create({ staffId, ...weekly, dayOfWeek: 7 })).rejects.toThrow(/availability_rule_check|CHECK constraint failed/);
  });
});
