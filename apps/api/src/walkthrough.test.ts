import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOfWeek } from '@appointments/domain';
import { ADMIN, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer } from './server.ts';
import { parseEnv } from './env.ts';

/**
 * The seed README's walk-through, as its curl examples do it, adapted only where we deliberately
 * differ: staff accounts are created with the bootstrap admin's token, and the dates are the next
 * Monday and Tuesday instead of 2026-02-02/03 (in the past by now).
 */
describe.each(['sqlite', 'postgresql'] as const)("the seed's walk-through on %s", (dialect) => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
  });
  afterAll(() => t?.close());

  const json = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token && { Authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const formLogin = async (username: string, password: string) => {
    const res = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };

  it('register → availability → slots → book → reschedule → export → cancel', async () => {
    let monday = addDays(new Date().toISOString().slice(0, 10), 7);
    while (dayOfWeek(monday) !== 0) monday = addDays(monday, 1);
    const tuesday = addDays(monday, 1);

    // 1. Register a user (staff: with the bootstrap admin's token).
    const admin = await formLogin(ADMIN.email, ADMIN.password);
    const staff = await json('POST', '/api/v1/auth/register', { email: 'staff@example.com', full_name: 'John Staff', password: 'password123', role: 'staff' }, admin);
    expect(staff.status).toBe(201);

    // 2. Login (form-encoded, as the seed's OAuth2 form).
    const staffToken = await formLogin('staff@example.com', 'password123');

    // 3. Set staff availability (Monday, and Tuesday for the reschedule).
    for (const day of [0, 1]) {
      const rule = await json('POST', '/api/v1/availability/', { day_of_week: day, start_time: '09:00:00', end_time: '17:00:00', is_recurring: true, staff_id: staff.body.id }, staffToken);
      expect(rule.status).toBe(201);
    }

    // 4. Get available slots.
    const slots = await fetch(`${t.url}/api/v1/availability/slots?staff_id=${staff.body.id}&date=${monday}&slot_duration=60`);
    const offered = (await slots.json()) as { start_time: string }[];
    expect(offered).toHaveLength(8);
    expect(offered[1]!.start_time).toBe(`${monday}T10:00:00.000Z`);

    // 5. Book an appointment (as a registered client).
    expect((await json('POST', '/api/v1/auth/register', { email: 'client@example.com', full_name: 'Jane Client', password: 'password123' })).status).toBe(201);
    const clientToken = await formLogin('client@example.com', 'password123');
    const booked = await json('POST', '/api/v1/appointments/', { staff_id: staff.body.id, start_time: `${monday}T10:00:00`, end_time: `${monday}T11:00:00`, notes: 'Initial consultation' }, clientToken);
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'scheduled', notes: 'Initial consultation', start_time: `${monday}T10:00:00.000Z` });

    // 6. Reschedule it.
    const moved = await json('POST', `/api/v1/appointments/${booked.body.id}/reschedule`, { new_start_time: `${tuesday}T14:00:00`, new_end_time: `${tuesday}T15:00:00`, reason: 'Schedule conflict' }, clientToken);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: booked.body.id, start_time: `${tuesday}T14:00:00.000Z`, sequence: 1 });

    // 7. Export it to a calendar.
    const ics = await fetch(`${t.url}/api/v1/appointments/${booked.body.id}/export.ics`, { headers: { Authorization: `Bearer ${clientToken}` } });
    expect(ics.status).toBe(200);
    const vevent = new ICAL.Component(ICAL.parse(await ics.text())).getFirstSubcomponent('vevent')!;
    expect((vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe(`${tuesday}T14:00:00.000Z`);
    expect(vevent.getFirstPropertyValue('sequence')).toBe(1);

    // 8. Cancel it (PATCH, as the seed).
    const cancelled = await json('PATCH', `/api/v1/appointments/${booked.body.id}`, { status: 'cancelled', reason: 'No longer needed' }, clientToken);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', sequence: 2 });
    const history = await json('GET', `/api/v1/appointments/${booked.body.id}/history`, undefined, staffToken);
    expect((history.body as unknown as { action: string }[]).map((e) => e.action)).toEqual(['booked', 'rescheduled', 'cancelled']);
  });
});
