import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, bookOverRest, login, restCall, setUpAllDayStaff, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const PASSWORD = 'times-password-1';

/**
 * Appointment times over REST: whole minutes only, and at least MIN_APPOINTMENT_MINUTES long, for
 * bookings (kept session and setup, or fresh), reschedules, slot durations and availability.
 */
describe.each(['sqlite', 'postgresql'] as const)('appointment times on %s', (dialect) => {
  let t: TestApi;
  let admin: string;
  let staffId = 0;
  let client = '';
  /** A whole hour in three days, then one hour later for each use, so nothing overlaps. */
  let nextHour = 0;
  const hour = () => (nextHour += HOUR);
  const iso = (ms: number) => new Date(ms).toISOString();

  async function send(method: string, path: string, token: string | null, body?: unknown) {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const count = async () => (await restCall<unknown[]>(t.url, admin, 'GET', '/api/v1/appointments?limit=200')).length;

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    ({ admin, staffId, client, next: nextHour } = await setUpAllDayStaff(t, PASSWORD));
  });
  afterAll(() => t?.close());

  // Start and end as offsets from a fresh whole hour.
  const cases = [
    ['1 ms long', 0, 1, 'APPOINTMENT.TIME_NOT_WHOLE_MINUTE'],
    ['starting at hh:00:00.123', 123, 30 * MINUTE, 'APPOINTMENT.TIME_NOT_WHOLE_MINUTE'],
    ['ending with seconds', 0, 30 * MINUTE + 30_000, 'APPOINTMENT.TIME_NOT_WHOLE_MINUTE'],
    ['4 minutes long (the default minimum is 5)', 0, 4 * MINUTE, 'APPOINTMENT.TOO_SHORT'],
  ] as const;

  it('books an appointment of exactly the minimum, 5 minutes', async () => {
    const start = hour();
    const booked = await send('POST', '/api/v1/appointments', client, { staff_id: staffId, start_time: iso(start), end_time: iso(start + 5 * MINUTE) });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ start_time: iso(start), end_time: iso(start + 5 * MINUTE) });
  });

  // The client's session and the staff member's setup are kept after the booking above; an Idempotency-Key reads both afresh.
  it.each(cases)('refuses a booking %s with 422, storing nothing, kept or fresh', async (_label, from, to, code) => {
    const start = hour();
    const body = { staff_id: staffId, start_time: iso(start + from), end_time: iso(start + to) };
    const before = await count();
    expect(await send('POST', '/api/v1/appointments', client, body)).toMatchObject({ status: 422, body: { code } });
    expect(await bookOverRest(t, client, body, `times-${dialect}-${start}`)).toBe(code);
    expect(await count()).toBe(before);
  });

  it.each(cases)('refuses a reschedule %s with 422, changing nothing', async (_label, from, to, code) => {
    const start = hour();
    const booked = await restCall<{ id: number }>(t.url, client, 'POST', '/api/v1/appointments', { staff_id: staffId, start_time: iso(start), end_time: iso(start + 30 * MINUTE) });
    const original = await restCall(t.url, client, 'GET', `/api/v1/appointments/${booked.id}`);
    const moved = hour();
    const res = await send('POST', `/api/v1/appointments/${booked.id}/reschedule`, client, { new_start_time: iso(moved + from), new_end_time: iso(moved + to) });
    expect(res).toMatchObject({ status: 422, body: { code } });
    expect(await restCall(t.url, client, 'GET', `/api/v1/appointments/${booked.id}`)).toEqual(original);
  });

  it('reschedules to exactly the minimum', async () => {
    const start = hour();
    const booked = await restCall<{ id: number }>(t.url, client, 'POST', '/api/v1/appointments', { staff_id: staffId, start_time: iso(start), end_time: iso(start + HOUR) });
    const moved = hour();
    const res = await send('POST', `/api/v1/appointments/${booked.id}/reschedule`, client, { new_start_time: iso(moved), new_end_time: iso(moved + 5 * MINUTE) });
    expect(res).toMatchObject({ status: 200, body: { start_time: iso(moved), end_time: iso(moved + 5 * MINUTE) } });
  });

  it.each([
    ['a weekly start with seconds', { day_of_week: 1, start_time: '09:00:30', end_time: '10:00:00', is_recurring: true }],
    ['a dated end with seconds', { specific_date: '2031-01-01', start_time: '09:00', end_time: '09:59:59', is_recurring: false }],
    ['time off ending with a fraction', { kind: 'unavailable', start_datetime: '2031-01-01T09:00:00Z', end_datetime: '2031-01-01T10:00:00.500Z' }],
  ])('refuses availability with %s (slots would start off the minute)', async (_label, fields) => {
    const res = await send('POST', '/api/v1/availability', admin, { staff_id: staffId, ...fields });
    expect(res).toMatchObject({ status: 422, body: { code: 'AVAILABILITY.INVALID', message: expect.stringMatching(/whole minutes/) } });
  });
});

describe.each(['sqlite', 'postgresql'] as const)('MIN_APPOINTMENT_MINUTES=30 on %s', (dialect) => {
  let t: TestApi;
  let admin: string;
  let staffId = 0;
  let clientId = 0;
  let start = 0;

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect, { MIN_APPOINTMENT_MINUTES: '30' });
    admin = await login(t.url, ADMIN.email, ADMIN.password);
    staffId = (await restCall<{ id: number }>(t.url, admin, 'POST', '/api/v1/auth/register', { email: 'staff@example.com', full_name: 'Staff', password: PASSWORD, role: 'staff' })).id;
    clientId = (await restCall<{ id: number }>(t.url, admin, 'POST', '/api/v1/auth/register', { email: 'client@example.com', full_name: 'Client', password: PASSWORD })).id;
    for (let day = 0; day < 7; day++) {
      await restCall(t.url, admin, 'POST', '/api/v1/availability', { staff_id: staffId, day_of_week: day, start_time: '09:00', end_time: '17:00', is_recurring: true });
    }
    const now = Date.now();
    start = now - (now % (24 * HOUR)) + 72 * HOUR + 10 * HOUR;
  });
  afterAll(() => t?.close());

  it('refuses shorter appointments, saying the minimum, and books one of the minimum', async () => {
    const book = (minutes: number) =>
      fetch(`${t.url}/api/v1/appointments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ staff_id: staffId, client_id: clientId, start_time: new Date(start).toISOString(), end_time: new Date(start + minutes * MINUTE).toISOString() }),
      });
    const short = await book(29);
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({ code: 'APPOINTMENT.TOO_SHORT', message: expect.stringMatching(/at least 30 minutes/) });
    expect((await book(30)).status).toBe(201);
  });

  it('offers no slots shorter than the minimum: a shorter slot_duration is refused', async () => {
    const date = new Date(start).toISOString().slice(0, 10);
    const slots = (duration: number) => fetch(`${t.url}/api/v1/availability/slots?staff_id=${staffId}&date=${date}&slot_duration=${duration}`);
    // Twice: the second would be answered from the slot cache (and its fast path) if the first had filled it.
    for (let i = 0; i < 2; i++) {
      const res = await slots(15);
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ code: 'APPOINTMENT.TOO_SHORT', message: expect.stringMatching(/at least 30 minutes/) });
    }
    expect((await slots(30)).status).toBe(200);
  });
});
