import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '@appointments/domain';
import { bookOverRest, startApiPair, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../routers/caller.ts';
import { MAX_CACHED_RULES, SetupCache } from './kept-setups.ts';
import { createServer, type ApiServer } from '../server.ts';
import { parseEnv } from '../env.ts';

const password = 'correct-horse-1';

/**
 * Bookings are checked against the staff member's setup as the process last read it (booking/trust.ts).
 * These change the setup from a second API process on the same database and book through the first:
 * a kept setup must never let a booking through that the current one refuses, nor refuse one it allows.
 */
describe.each(['sqlite', 'postgresql'] as const)('bookings against a kept setup on %s', (dialect) => {
  let a: TestApi<ApiServer>;
  let b: TestApi<ApiServer>; // a second API process on the same database
  let admin: string;
  let staffId: number;
  let client: string;
  let day: string;
  const caller = (t: TestApi<ApiServer>, token?: string) => createCaller({ services: t.api.services, token });
  /** Books 30 minutes from `time` (HH:MM, UTC) over REST through `a`: 'booked', or the error body's code. */
  const book = (time: string) => {
    const start = Date.parse(`${day}T${time}:00Z`);
    return bookOverRest(a, client, { staff_id: staffId, start_time: new Date(start).toISOString(), end_time: new Date(start + 1_800_000).toISOString() });
  };

  beforeAll(async () => {
    ({ a, b, admin } = await startApiPair({ createServer, parseEnv }, dialect));
    staffId = (await caller(a, admin).auth.register({ email: 'kept-staff@example.com', full_name: 'Staff', password, role: 'staff', timezone: 'UTC' })).id;
    await caller(a, admin).auth.register({ email: 'kept-client@example.com', full_name: 'Client', password, role: 'client', timezone: 'UTC' });
    client = (await caller(a).auth.login({ username: 'kept-client@example.com', password })).access_token;
    day = addDays(localDate(Date.now(), 'UTC'), 3);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('follows every change of hours, settings and the staff member made elsewhere', async () => {
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
    const morning = await caller(b, admin).availability.create({ staff_id: staffId, day_of_week: weekday, start_time: '09:00:00', end_time: '12:00:00', is_recurring: true });
    expect(await book('09:00')).toBe('booked'); // read and kept by `a`
    expect(await book('14:00')).toBe('APPOINTMENT.OUTSIDE_AVAILABILITY');

    // Hours added elsewhere: the kept setup would refuse 14:00; the current one allows it.
    await caller(b, admin).availability.create({ staff_id: staffId, day_of_week: weekday, start_time: '13:00:00', end_time: '17:00:00', is_recurring: true });
    expect(await book('14:00')).toBe('booked');
    // Hours removed elsewhere: the kept setup would allow 10:00; the current one refuses it.
    await caller(b, admin).availability.delete({ id: morning.id });
    expect(await book('10:00')).toBe('APPOINTMENT.OUTSIDE_AVAILABILITY');
    expect(await book('15:00')).toBe('booked');

    // Settings changed elsewhere: a new appointment needs an hour free before it, so 16:00 now clashes with 15:00–15:30.
    await caller(b, admin).staff.settings.update({ staff_id: staffId, buffer_before_minutes: 60 });
    expect(await book('16:00')).toBe('APPOINTMENT.SLOT_TAKEN');
    expect(await book('16:30')).toBe('booked');

    // The staff member deactivated elsewhere: no more bookings.
    await caller(b, admin).users.update({ id: staffId, is_active: false });
    expect(await book('11:00')).toBe('STAFF.NOT_FOUND');
    await caller(b, admin).users.update({ id: staffId, is_active: true });
    expect(await book('11:00')).toBe('APPOINTMENT.OUTSIDE_AVAILABILITY');

    const booked = (await caller(a, admin).appointments.list({ staff_id: staffId, limit: 50, offset: 0 })).items.map((x) => x.start_time.slice(11, 16)).sort();
    expect(booked).toEqual(['09:00', '14:00', '15:00', '16:30']);
  });
});

describe('the kept setups', () => {
  const rule = { kind: 'available', type: 'weekly', dayOfWeek: 0, startTime: '09:00', endTime: '17:00' } as const;
  const overrides = { bufferBeforeMinutes: null, bufferAfterMinutes: null, minNoticeMinutes: null, maxAdvanceDays: null, slotIntervalMinutes: null, maxBookingsPerDay: null };
  const setup = (rules: number, setupVersion = 1) => ({ staff: null, overrides, rules: Array.from({ length: rules }, () => rule), setupVersion });

  it('hold at most MAX_CACHED_RULES availability rules, however many staff members and rules come', () => {
    const cache = new SetupCache();
    for (let id = 1; id <= 500; id++) {
      cache.set(id, setup(1_000));
      expect(cache.rules).toBeLessThanOrEqual(MAX_CACHED_RULES);
    }
    expect(cache.get(500)).toBeDefined();
    // Replacing an entry counts its rules once.
    cache.set(500, setup(10, 2));
    cache.set(500, setup(10, 3));
    expect(cache.get(500)).toMatchObject({ setupVersion: 3 });
    const before = cache.rules;
    cache.delete(500);
    expect(cache.rules).toBe(before - 10);
    expect(cache.get(500)).toBeUndefined();
  });

  it('make room by dropping the least recently used setups', () => {
    const cache = new SetupCache();
    cache.set(1, setup(MAX_CACHED_RULES / 2));
    cache.set(2, setup(MAX_CACHED_RULES / 2));
    cache.get(1);
    cache.set(3, setup(MAX_CACHED_RULES / 2));
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toBeDefined();
    expect(cache.get(3)).toBeDefined();
    expect(cache.rules).toBe(MAX_CACHED_RULES);
  });
});
