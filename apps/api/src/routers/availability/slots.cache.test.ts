import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '@appointments/domain';
import { startApiPair, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { SlotCache, slotCacheFor } from './slot-cache.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const password = 'correct-horse-1';
const HOUR = 3_600_000;

/**
 * Slot answers come from a cache (and, over REST, a fast path in front of the adapter). These
 * check what a cache could get wrong: a stale answer after a write from anywhere, the clock's
 * effect on notice, and answers that differ from the procedure's.
 */
describe.each(['sqlite', 'postgresql'] as const)('cached slots on %s', (dialect) => {
  let a: TestApi<ApiServer>;
  let b: TestApi<ApiServer>; // a second API process on the same database
  let admin: string;
  let staffId: number;
  let clientToken: string;
  let day: string;
  const caller = (t: TestApi<ApiServer>, token?: string, now?: Date) => createCaller({ services: t.api.services, token, now });
  const slotsUrl = (t: TestApi<ApiServer>, query = `date=${day}&slot_duration=60`) => `${t.url}/api/v1/availability/slots?staff_id=${staffId}&${query}`;
  const starts = async (t: TestApi<ApiServer>, query?: string) => {
    const res = await fetch(slotsUrl(t, query));
    expect(res.status).toBe(200);
    return ((await res.json()) as { start_time: string }[]).map((slot) => slot.start_time);
  };

  beforeAll(async () => {
    ({ a, b, admin } = await startApiPair({ createServer, parseEnv }, dialect));
    staffId = (await caller(a, admin).auth.register({ email: 'cache-staff@example.com', full_name: 'Staff', password, role: 'staff', timezone: 'UTC' })).id;
    await caller(a, admin).auth.register({ email: 'cache-client@example.com', full_name: 'Client', password, role: 'client', timezone: 'UTC' });
    clientToken = (await caller(a).auth.login({ username: 'cache-client@example.com', password })).access_token;
    for (let day_of_week = 0; day_of_week < 7; day_of_week++) {
      await caller(a, admin).availability.create({ staff_id: staffId, day_of_week, start_time: '09:00:00', end_time: '13:00:00', is_recurring: true });
    }
    day = addDays(localDate(Date.now(), 'UTC'), 3);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('answers a repeated query with the same bytes and headers as the first (computed) answer', async () => {
    const url = `${slotsUrl(a)}&to=${day}`.replace(`date=${day}`, `from=${day}`);
    const first = await fetch(url);
    const second = await fetch(url);
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(await first.text());
    for (const header of ['content-type', 'cache-control', 'x-content-type-options']) expect(second.headers.get(header)).toBe(first.headers.get(header));
  });

  it('sees a booking made through another process at once', async () => {
    const before = await starts(a);
    expect(before).toHaveLength(4);
    const booked = await caller(b, clientToken).appointments.create({ staff_id: staffId, start_time: before[1]!, end_time: new Date(Date.parse(before[1]!) + HOUR).toISOString() });
    expect(await starts(a)).toEqual([before[0], before[2], before[3]]);
    await caller(b, clientToken).appointments.cancel({ id: booked.id });
    expect(await starts(a)).toEqual(before);
  });

  it('sees availability, booking rules and the staff member being deactivated, changed elsewhere', async () => {
    const query = `date=${day}&slot_duration=30`;
    expect(await starts(a, query)).toHaveLength(8);
    await caller(b, admin).staff.settings.update({ staff_id: staffId, slot_interval_minutes: 60 });
    expect(await starts(a, query)).toHaveLength(4);
    await caller(b, admin).users.update({ id: staffId, is_active: false });
    expect((await fetch(slotsUrl(a, query))).status).toBe(404);
    await caller(b, admin).users.update({ id: staffId, is_active: true });
    await caller(b, admin).staff.settings.update({ staff_id: staffId, slot_interval_minutes: null });
    expect(await starts(a, query)).toHaveLength(8);
  });

  it('applies the minimum notice at each call’s own time, not the time the slots were computed', async () => {
    const opening = Date.parse(`${day}T09:00:00Z`);
    await caller(a, admin).staff.settings.update({ staff_id: staffId, min_notice_minutes: 60 });
    try {
      const at = (now: number) => caller(a, undefined, new Date(now)).availability.slots({ staff_id: staffId, date: day, slot_duration: 60 });
      expect(await at(opening - 2 * HOUR)).toHaveLength(4);
      expect(await at(opening - 30 * 60_000)).toHaveLength(3);
      expect(await at(opening + 2 * HOUR)).toHaveLength(1);
      expect(await at(opening - 2 * HOUR)).toHaveLength(4);
    } finally {
      await caller(a, admin).staff.settings.update({ staff_id: staffId, min_notice_minutes: null });
    }
  });

  it('holds a bounded number of slots, however many large queries arrive', async () => {
    const allDay = (await caller(a, admin).auth.register({ email: 'cache-24-7@example.com', full_name: 'Always', password, role: 'staff', timezone: 'UTC' })).id;
    for (let day_of_week = 0; day_of_week < 7; day_of_week++) {
      await caller(a, admin).availability.create({ staff_id: allDay, day_of_week, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
    }
    // 62 days of 5-minute slots: ~17,800 each; 14 distinct ranges would hold ~250,000.
    for (let shift = 0; shift < 14; shift++) {
      const from = addDays(day, shift);
      const res = await fetch(`${a.url}/api/v1/availability/slots?staff_id=${allDay}&from=${from}&to=${addDays(from, 61)}&slot_duration=5`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as unknown[]).length).toBeGreaterThan(17_000);
    }
    expect(slotCacheFor(a.api.services.db).size).toBeGreaterThan(150_000);
    expect(slotCacheFor(a.api.services.db).size).toBeLessThanOrEqual(200_000);
  });

  it('counts a list without slots as one against the bound, so empty answers cannot pile up', () => {
    const cache = new SlotCache(a.api.services.db);
    const booking = { bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 0, maxAdvanceDays: 30, slotIntervalMinutes: null, maxBookingsPerDay: null };
    for (let i = 0; i <= 200_000; i++) cache.store(`query-${i}`, { version: 1, booking, slots: [], output: [] });
    expect(cache.size).toBe(200_000);
  });

  it('leaves errors and unusual spellings to the procedure', async () => {
    for (const [query, status] of [
      [`date=${day}&slot_duration=060`, 200],
      [`date=${day}&slot_duration=60&slot_duration=30`, 422],
      [`date=${day}&from=${day}`, 422],
      [`date=2026-02-30`, 422],
    ] as const) {
      const res = await fetch(slotsUrl(a, query));
      expect(res.status, query).toBe(status);
      if (status !== 200) expect(((await res.json()) as { code: string }).code, query).toMatch(/^(VALIDATION|SLOTS)\./);
    }
    expect((await fetch(`${a.url}/api/v1/availability/slots?staff_id=999999&date=${day}`)).status).toBe(404);
  });
});
