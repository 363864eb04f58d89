import { describe, expect, it } from 'vitest';
import type { Role } from '@appointments/domain';
import { Database } from '../database.ts';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';

describe.each(Object.entries(testTargets))('the staff directory on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let n = 0;
  const newUser = async (role: Role, fullName = `${role} ${++n}`) =>
    (await database.db.fork().users.create({ email: `directory${++n}@example.com`, fullName, role, passwordHash: 'x', timezone: 'Europe/Berlin' })).id;
  const service = async (staffIds: number[]) =>
    (await database.db.transaction((repos) => repos.services.create({ name: `Service ${++n}`, description: null, durationMinutes: 60, location: null, priceCents: 0, currency: 'EUR', bufferBeforeMinutes: null, bufferAfterMinutes: null, capacity: 1, staffIds }))).id;

  it('lists active staff members only, by id, with the active services they offer, ascending', async () => {
    const [first, second, inactive] = [await newUser('staff', 'First'), await newUser('staff', 'Second'), await newUser('staff')];
    await newUser('client');
    await newUser('admin');
    await database.db.fork().users.update(inactive, { isActive: false });
    const [later, earlier, retired] = [await service([second, first]), await service([first]), await service([first])];
    await database.db.fork().services.update(retired, { isActive: false });
    const { items: listed, more } = await database.db.fork().staffDirectory.list({ offset: 0, limit: 200 });
    expect(more).toBe(false);
    expect(listed).toEqual([
      { id: first, fullName: 'First', timezone: 'Europe/Berlin', title: null, bio: null, serviceIds: [later, earlier].sort((a, b) => a - b) },
      { id: second, fullName: 'Second', timezone: 'Europe/Berlin', title: null, bio: null, serviceIds: [later] },
    ]);
    expect(await database.db.fork().staffDirectory.list({ offset: 1, limit: 1 })).toEqual({ items: [listed[1]], more: false });
    expect(await database.db.fork().staffDirectory.list({ limit: 1 })).toEqual({ items: [listed[0]], more: true });
    expect(await database.db.fork().staffDirectory.list({ after: [first], limit: 1 })).toEqual({ items: [listed[1]], more: false });
    expect(await database.db.fork().staffDirectory.findById(first)).toEqual(listed[0]);
    expect(await database.db.fork().staffDirectory.findById(inactive)).toBeNull();
    expect(await database.db.fork().staffDirectory.findById(999_999)).toBeNull();
  });

  it('sets and clears title and bio of a listed staff member only; absent fields stay', async () => {
    const staff = await newUser('staff', 'Writer');
    const directory = () => database.db.fork().staffDirectory;
    expect(await directory().update(staff, { title: 'Senior consultant', bio: 'Line one\nline two' })).toMatchObject({ title: 'Senior consultant', bio: 'Line one\nline two', serviceIds: [] });
    expect(await directory().update(staff, { bio: null })).toMatchObject({ title: 'Senior consultant', bio: null });
    expect(await directory().update(staff, {})).toMatchObject({ title: 'Senior consultant', bio: null });
    expect(await directory().findById(staff)).toMatchObject({ title: 'Senior consultant', bio: null });
    for (const role of ['client', 'admin'] as const) {
      const other = await newUser(role);
      expect(await directory().update(other, { title: 'Not staff' })).toBeNull();
    }
    await database.db.fork().users.update(staff, { isActive: false });
    expect(await directory().update(staff, { title: 'Gone' })).toBeNull();
    await database.db.fork().users.update(staff, { isActive: true });
    expect(await directory().findById(staff)).toMatchObject({ title: 'Senior consultant' });
  });
});
