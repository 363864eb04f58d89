import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '@appointments/domain';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const password = 'correct-horse-1';
const ZONE = 'Europe/Berlin';

interface Answer {
  status: number;
  body: Record<string, unknown> & Record<number, Record<string, unknown>>;
}

describe.each(['sqlite', 'postgresql'] as const)('scheduling over REST on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let admin: string;
  let staff: { id: number; token: string };
  let client: { id: number; token: string };
  let day: string; // a local date a few days ahead, fully available 09:00–17:00

  const call = async (method: string, path: string, token?: string, json?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  };
  const signUp = async (email: string, extra: object = {}) => {
    const reg = await call('POST', '/api/v1/auth/register', admin, { email, full_name: 'Some One', password, ...extra });
    expect(reg.status).toBe(201);
    return { id: reg.body.id as number, token: await login(t.url, email, password) };
  };
  const book = (token: string, start: string, end: string, extra: object = {}, headers: Record<string, string> = {}) =>
    call('POST', '/api/v1/appointments/', token, { staff_id: staff.id, start_time: start, end_time: end, ...extra }, headers);

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    admin = await login(t.url, ADMIN.email, ADMIN.password);
    staff = await signUp('staff@example.com', { role: 'staff', timezone: ZONE });
    client = await signUp('client@example.com');
    for (let dayOfWeek = 0; dayOfWeek < 7; dayOfWeek++) {
      const rule = await call('POST', '/api/v1/availability/', staff.token, { staff_id: staff.id, day_of_week: dayOfWeek, start_time: '09:00:00', end_time: '17:00:00', is_recurring: true });
      expect(rule.status).toBe(201);
    }
    day = addDays(localDate(Date.now(), ZONE), 3);
  });
  afterAll(() => t?.close());

  it("offers the day's free slots in UTC, read from the staff member's wall clock", async () => {
    const slots = await call('GET', `/api/v1/availability/slots?staff_id=${staff.id}&date=${day}&slot_duration=60`);
    expect(slots.status).toBe(200);
    const list = slots.body as unknown as { start_time: string; end_time: string }[];
    expect(list).toHaveLength(8);
    const offset = new Date(`${day}T12:00:00Z`).toLocaleString('en-US', { timeZone: ZONE, hour12: false, hour: '2-digit' }) === '13' ? 1 : 2;
    expect(list[0]!.start_time).toBe(new Date(`${day}T${String(9 - offset).padStart(2, '0')}:00:00Z`).toISOString());
  });

  it('books a naive seed-style time in the staff zone, and the slot disappears', async () => {
    const booked = await book(client.token, `${day}T10:00:00`, `${day}T11:00:00`, { notes: 'Initial consultation' });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'scheduled', client_id: client.id, staff_id: staff.id, notes: 'Initial consultation' });
    expect(booked.body.start_time).toMatch(/Z$/);
    const slots = (await call('GET', `/api/v1/availability/slots?staff_id=${staff.id}&date=${day}`)).body as unknown as { start_time: string }[];
    expect(slots.map((s) => s.start_time)).not.toContain(booked.body.start_time);
    expect(slots).toHaveLength(7);
  });

  it.each([
    ['overlapping', 'T10:30:00', 'T11:30:00', 409, 'APPOINTMENT.SLOT_TAKEN'],
    ['outside availability', 'T17:30:00', 'T18:00:00', 422, 'APPOINTMENT.OUTSIDE_AVAILABILITY'],
    ['crossing the window end', 'T16:30:00', 'T17:30:00', 422, 'APPOINTMENT.OUTSIDE_AVAILABILITY'],
    ['ending before it starts', 'T12:00:00', 'T11:00:00', 422, 'APPOINTMENT.INVALID_RANGE'],
    ['not a datetime', 'T25:00:00', 'T26:00:00', 422, 'TIME.INVALID_DATETIME'],
  ])('refuses a booking %s (%i %s)', async (_label, start, end, status, code) => {
    const res = await book(client.token, `${day}${start}`, `${day}${end}`);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code });
  });

  it('refuses the past, and beyond the horizon', async () => {
    expect((await book(client.token, '2020-01-01T10:00:00Z', '2020-01-01T11:00:00Z')).body).toMatchObject({ code: 'APPOINTMENT.TOO_SOON' });
    const far = addDays(day, 400);
    expect((await book(client.token, `${far}T10:00:00`, `${far}T11:00:00`)).body).toMatchObject({ code: 'APPOINTMENT.BEYOND_HORIZON' });
  });

  it('refuses a naive time that does not exist in the staff zone (DST gap)', async () => {
    const res = await book(client.token, '2027-03-28T02:30:00', '2027-03-28T03:30:00');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'TIME.NONEXISTENT_LOCAL_TIME' });
  });

  it('keeps buffers around bookings, per the staff member’s rules', async () => {
    const later = addDays(day, 1);
    const settings = await call('PATCH', `/api/v1/staff/${staff.id}/settings`, staff.token, { buffer_after_minutes: 30 });
    expect(settings.body).toMatchObject({ buffer_after_minutes: 30, buffer_before_minutes: 0, max_advance_days: 365 });
    expect((await book(client.token, `${later}T09:00:00`, `${later}T10:00:00`)).status).toBe(201);
    // 10:00 is inside the 30-minute buffer after the first booking.
    expect((await book(client.token, `${later}T10:00:00`, `${later}T11:00:00`)).body).toMatchObject({ code: 'APPOINTMENT.SLOT_TAKEN' });
    expect((await book(client.token, `${later}T10:30:00`, `${later}T11:30:00`)).status).toBe(201);
    await call('PATCH', `/api/v1/staff/${staff.id}/settings`, staff.token, { buffer_after_minutes: null });
  });

  it('lets unavailable entries win over available ones', async () => {
    const off = addDays(day, 2);
    const entry = await call('POST', '/api/v1/availability/', staff.token, { staff_id: staff.id, specific_date: off, kind: 'unavailable' });
    expect(entry.status).toBe(201);
    expect(entry.body).toMatchObject({ kind: 'unavailable', start_time: '00:00:00', end_time: '24:00:00', is_recurring: false });
    expect((await call('GET', `/api/v1/availability/slots?staff_id=${staff.id}&date=${off}`)).body).toEqual([]);
    expect((await book(client.token, `${off}T10:00:00`, `${off}T11:00:00`)).body).toMatchObject({ code: 'APPOINTMENT.OUTSIDE_AVAILABILITY' });
    expect((await call('DELETE', `/api/v1/availability/${entry.body.id}`, staff.token)).status).toBe(204);
    expect((await call('GET', `/api/v1/availability/slots?staff_id=${staff.id}&date=${off}`)).body).toHaveLength(8);
  });

  it('refuses bookings by a blocked client with 403', async () => {
    const blocked = await signUp('blocked@example.com');
    await t.api.services.db.fork().users.update(blocked.id, { isBlocked: true });
    const res = await book(blocked.token, `${day}T14:00:00`, `${day}T15:00:00`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'APPOINTMENT.CLIENT_BLOCKED' });
  });

  it('replays a repeated Idempotency-Key and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': `key-${dialect}` };
    const first = await book(client.token, `${day}T15:00:00`, `${day}T16:00:00`, {}, headers);
    const again = await book(client.token, `${day}T15:00:00`, `${day}T16:00:00`, {}, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await book(client.token, `${day}T13:00:00`, `${day}T14:00:00`, {}, headers);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
    const mine = (await call('GET', '/api/v1/appointments/?limit=200', client.token)).body as unknown as { start_time: string }[];
    expect(mine.filter((a) => a.start_time === first.body.start_time)).toHaveLength(1);
  });

  it('shows each role what it may see', async () => {
    const other = await signUp('other-client@example.com');
    const mine = (await call('GET', '/api/v1/appointments/', client.token)).body as unknown as { client_id: number; start_time: string }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.client_id === client.id)).toBe(true);
    expect(mine.map((a) => a.start_time)).toEqual([...mine.map((a) => a.start_time)].sort());
    expect((await call('GET', '/api/v1/appointments/', other.token)).body).toEqual([]);
    expect((await call('GET', '/api/v1/appointments/', staff.token)).body).toHaveLength(mine.length);
    expect((await call('GET', `/api/v1/appointments/?client_id=${client.id}`, other.token)).status).toBe(403);
    const id = (mine[0] as unknown as { id: number }).id;
    expect((await call('GET', `/api/v1/appointments/${id}`, client.token)).status).toBe(200);
    expect((await call('GET', `/api/v1/appointments/${id}`, other.token)).body).toMatchObject({ code: 'APPOINTMENT.NOT_FOUND' });
    expect((await call('GET', '/api/v1/appointments/?status=cancelled', admin)).body).toEqual([]);
  });

  it('answers lookups of a client or admin id as staff with the 404 of an unknown staff member (only admins learn it is not staff)', async () => {
    const adminId = ((await call('GET', '/api/v1/auth/me', admin)).body as { id: number }).id;
    for (const id of [client.id, adminId, 999_999]) {
      for (const path of [`/api/v1/availability/slots?staff_id=${id}&date=${day}`, `/api/v1/staff/${id}/settings`, `/api/v1/availability?staff_id=${id}`]) {
        const answer = await call('GET', path);
        expect([answer.status, answer.body.code], path).toEqual([404, 'STAFF.NOT_FOUND']);
      }
      const booked = await call('POST', '/api/v1/appointments/', client.token, { staff_id: id, start_time: `${day}T10:00:00`, end_time: `${day}T11:00:00` });
      expect([booked.status, booked.body.code]).toEqual([404, 'STAFF.NOT_FOUND']);
    }
  });

  it('lets only the staff member or an admin manage their availability', async () => {
    const rival = await signUp('rival@example.com', { role: 'staff' });
    const entry = { staff_id: staff.id, specific_date: day, start_time: '18:00:00', end_time: '19:00:00' };
    expect((await call('POST', '/api/v1/availability/', client.token, entry)).status).toBe(403);
    expect((await call('POST', '/api/v1/availability/', rival.token, entry)).status).toBe(403);
    expect((await call('POST', '/api/v1/availability/', admin, { ...entry, staff_id: client.id })).body).toMatchObject({ code: 'STAFF.NOT_STAFF' });
    expect((await call('POST', '/api/v1/availability/', admin, { ...entry, staff_id: 999_999 })).status).toBe(404);
    const created = await call('POST', '/api/v1/availability/', admin, entry);
    expect(created.status).toBe(201);
    const patched = await call('PATCH', `/api/v1/availability/${created.body.id}`, staff.token, { end_time: '20:00:00' });
    expect(patched.body).toMatchObject({ start_time: '18:00:00', end_time: '20:00:00', specific_date: day });
    expect((await call('DELETE', `/api/v1/availability/${created.body.id}`, rival.token)).status).toBe(403);
    expect((await call('GET', `/api/v1/availability/?staff_id=${staff.id}`)).body).toHaveLength(8);
  });

  it('refuses a centuries-long booking at once, without expanding it day by day', async () => {
    const started = performance.now();
    const res = await book(client.token, '1970-01-03T00:00:00Z', '9999-12-29T00:00:00Z');
    expect(res.body).toMatchObject({ code: 'APPOINTMENT.TOO_LONG' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses datetimes an offset pushes out of range, storing nothing', async () => {
    const entry = await call('POST', '/api/v1/availability/', staff.token, { staff_id: staff.id, kind: 'unavailable', start_datetime: '2030-01-01T00:00:00Z', end_datetime: '9999-12-31T23:59:59-00:01' });
    expect(entry.status).toBe(422);
    expect(entry.body).toMatchObject({ code: 'TIME.INVALID_DATETIME' });
    expect((await call('GET', `/api/v1/availability/?staff_id=${staff.id}`)).status).toBe(200);
  });

  it('treats a deactivated staff member as unknown', async () => {
    const gone = await signUp('gone-staff@example.com', { role: 'staff' });
    await call('PATCH', `/api/v1/users/${gone.id}`, admin, { is_active: false });
    expect((await call('GET', `/api/v1/availability/slots?staff_id=${gone.id}&date=${day}`)).body).toMatchObject({ code: 'STAFF.NOT_FOUND' });
  });

  it('fingerprints an absent and a null field alike for Idempotency-Key', async () => {
    const headers = { 'idempotency-key': `nulls-${dialect}` };
    const first = await book(client.token, `${day}T16:00:00`, `${day}T17:00:00`, {}, headers);
    const again = await book(client.token, `${day}T16:00:00`, `${day}T17:00:00`, { notes: null }, headers);
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });

  it.each([
    [{ is_recurring: false, day_of_week: 1, start_time: '09:00:00', end_time: '10:00:00' }, 'is_recurring: true'],
    [{ is_recurring: true, specific_date: '2030-01-01', start_time: '09:00:00', end_time: '10:00:00' }, 'is_recurring: false'],
    [{ day_of_week: 1, specific_date: '2030-01-01', start_time: '09:00:00', end_time: '10:00:00' }, 'not both'],
    [{ kind: 'unavailable', specific_date: '2030-01-01', start_datetime: '2030-01-01T00:00:00Z', end_datetime: '2030-01-02T00:00:00Z' }, 'datetime range'],
  ])('refuses an entry naming two kinds at once: %o', async (fields, message) => {
    const res = await call('POST', '/api/v1/availability/', staff.token, { staff_id: staff.id, ...fields });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'AVAILABILITY.INVALID', message: expect.stringContaining(message) });
  });
});

