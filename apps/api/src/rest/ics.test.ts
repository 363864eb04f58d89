import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../routers/caller.ts';
import { createServer, type ApiServer } from '../server.ts';
import { parseEnv } from '../env.ts';

const password = 'correct-horse-1';
/** With characters a parameter value must have quoted or encoded. */
const ORGANIZATION = 'Sunrise Clinic; "Mitte", Berlin';
const HOUR = 3_600_000;

interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  description: string | null;
  start: string;
  end: string;
  organizer: string;
  organizerName: string;
  attendee: string;
}

/** Parsed by ical.js, an independent implementation, not by the library that wrote it. */
function parse(text: string): ParsedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((vevent) => ({
    uid: String(vevent.getFirstPropertyValue('uid')),
    sequence: Number(vevent.getFirstPropertyValue('sequence')),
    status: String(vevent.getFirstPropertyValue('status')),
    summary: String(vevent.getFirstPropertyValue('summary')),
    description: (vevent.getFirstPropertyValue('description') as string | null) ?? null,
    start: (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
    end: (vevent.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString(),
    organizer: String(vevent.getFirstPropertyValue('organizer')).toLowerCase(),
    organizerName: String(vevent.getFirstProperty('organizer')?.getParameter('cn')),
    attendee: String(vevent.getFirstPropertyValue('attendee')).toLowerCase(),
  }));
}

describe.each(['sqlite', 'postgresql'] as const)('calendar export on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const base = Math.ceil(Date.now() / HOUR) * HOUR + 48 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  const get = (path: string, token?: string) => fetch(`${t.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect, { ORGANIZATION_NAME: ORGANIZATION });
    const anonymous = createCaller({ services: t.api.services });
    const as = (token: string) => createCaller({ services: t.api.services, token });
    tokens.admin = (await anonymous.auth.login({ username: ADMIN.email, password: ADMIN.password })).access_token;
    for (const [name, role, fullName] of [['staff', 'staff', 'Dr. Who'], ['client', 'client', 'Amy, Pond; "the girl"'], ['other', 'client', 'Rory']] as const) {
      ids[name] = (await as(tokens.admin).auth.register({ email: `${name}@example.com`, full_name: fullName, password, role, timezone: 'UTC' })).id;
      tokens[name] = (await anonymous.auth.login({ username: `${name}@example.com`, password })).access_token;
    }
    for (let day = 0; day < 7; day++) {
      await as(tokens.staff!).availability.create({ staff_id: ids.staff!, day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
    }
    const client = as(tokens.client!);
    const notes = 'Line one\nLine two, with commas; and semicolons \\ backslash\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected';
    ids.first = (await client.appointments.create({ staff_id: ids.staff!, start_time: iso(base), end_time: iso(base + HOUR), notes })).id;
    ids.second = (await client.appointments.create({ staff_id: ids.staff!, start_time: iso(base + 3 * HOUR), end_time: iso(base + 4 * HOUR) })).id;
    await client.appointments.reschedule({ id: ids.second, new_start_time: iso(base + 5 * HOUR), new_end_time: iso(base + 6 * HOUR) });
    await client.appointments.cancel({ id: ids.second });
  });
  afterAll(() => t?.close());

  it('exports one appointment as a calendar file that survives hostile notes', async () => {
    const res = await get(`/api/v1/appointments/${ids.first}/export.ics`, tokens.client);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="appointment-\d+\.ics"$/);
    const text = await res.text();
    const events = parse(text);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      uid: `appointment-${ids.first}@appointments.localhost`,
      sequence: 0,
      status: 'CONFIRMED',
      summary: 'Appointment with Dr. Who',
      description: 'Line one\nLine two, with commas; and semicolons \\ backslash\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected',
      start: iso(base),
      end: iso(base + HOUR),
      // The organisation organises, at the staff member's address (who gets the attendees' replies).
      organizer: 'mailto:staff@example.com',
      organizerName: ORGANIZATION,
      attendee: 'mailto:client@example.com',
    });
  });

  it('exports everything the caller may see, with stable UIDs and growing sequences', async () => {
    const mine = parse(await (await get('/api/v1/appointments/export-all.ics', tokens.client)).text());
    expect(mine.map((e) => e.uid).sort()).toEqual([`appointment-${ids.first}@appointments.localhost`, `appointment-${ids.second}@appointments.localhost`].sort());
    const moved = mine.find((e) => e.uid.startsWith(`appointment-${ids.second}@`))!;
    expect(moved).toMatchObject({ status: 'CANCELLED', sequence: 2, start: iso(base + 5 * HOUR) });
    const staffView = parse(await (await get('/api/v1/appointments/export-all.ics?status=scheduled', tokens.staff)).text());
    expect(staffView.map((e) => e.summary)).toEqual(['Appointment with Amy, Pond; "the girl"']);
    expect(parse(await (await get('/api/v1/appointments/export-all.ics', tokens.other)).text())).toEqual([]);
  });

  it('answers errors as JSON: no token 401, someone else’s appointment 404, bad id 422', async () => {
    const anonymous = await get(`/api/v1/appointments/${ids.first}/export.ics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH.NOT_AUTHENTICATED' });
    const stranger = await get(`/api/v1/appointments/${ids.first}/export.ics`, tokens.other);
    expect(stranger.status).toBe(404);
    expect(await stranger.json()).toMatchObject({ code: 'APPOINTMENT.NOT_FOUND' });
    expect((await get('/api/v1/appointments/abc/export.ics', tokens.client)).status).toBe(422);
    expect((await get('/api/v1/appointments/export-all.ics?staff_id=abc', tokens.client)).status).toBe(422);
  });

  it('serves a personal subscription feed by token, without an Authorization header, until revoked', async () => {
    const client = createCaller({ services: t.api.services, token: tokens.client });
    const created = await client.calendar.feeds.create({ name: 'Phone' });
    expect(created.feed_path).toBe(`/api/v1/calendar/feed.ics?token=${created.token}`);
    // Without PUBLIC_URL, feed_url starts where the server listens: a calendar app can subscribe to it as it is.
    expect(created.feed_url).toBe(`${t.url}${created.feed_path}`);
    expect((await fetch(created.feed_url)).status).toBe(200);
    const polled = await get(created.feed_path);
    expect(polled.status).toBe(200);
    expect(polled.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const events = parse(await polled.text());
    expect(events.map((e) => e.uid).sort()).toEqual([`appointment-${ids.first}@appointments.localhost`, `appointment-${ids.second}@appointments.localhost`].sort());

    const listed = await client.calendar.feeds.list();
    expect(listed).toEqual([expect.objectContaining({ id: created.id, name: 'Phone', last_used_at: expect.any(String) })]);
    expect(JSON.stringify(listed)).not.toContain(created.token);

    // Another user's feed shows only their own appointments; a stranger cannot revoke this one.
    const other = createCaller({ services: t.api.services, token: tokens.other });
    expect(parse(await (await get((await other.calendar.feeds.create({})).feed_path)).text())).toEqual([]);
    await expect(other.calendar.feeds.revoke({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await client.calendar.feeds.revoke({ id: created.id });
    const revoked = await get(created.feed_path);
    expect(revoked.status).toBe(404);
    expect(await revoked.json()).toMatchObject({ code: 'CALENDAR.FEED_NOT_FOUND' });
    expect((await get('/api/v1/calendar/feed.ics?token=nope')).status).toBe(404);
  });

  it('names the service in SUMMARY and writes its location as LOCATION, escaped; without a service neither changes', async () => {
    const admin = createCaller({ services: t.api.services, token: tokens.admin! });
    const location = 'Room 2, Torstraße 1; Berlin';
    const service = await admin.services.create({ name: 'Haircut', duration_minutes: 60, currency: 'EUR', location, staff_ids: [ids.staff!] });
    const guest = await admin.auth.register({ email: 'guest@example.com', full_name: 'Guest', password, timezone: 'UTC' });
    const guestToken = (await createCaller({ services: t.api.services }).auth.login({ username: 'guest@example.com', password })).access_token;
    // Booking by service is the booking's concern; the stored appointment is what an export reads.
    const start = base + 10 * HOUR;
    const { id } = await t.api.services.db.fork().appointments.create({ clientId: guest.id, staffId: ids.staff!, start, end: start + HOUR, bufferedStart: start, bufferedEnd: start + HOUR, notes: null, serviceId: service.id });
    const text = await (await get(`/api/v1/appointments/${id}/export.ics`, guestToken)).text();
    expect(text).toContain('\r\nLOCATION:Room 2\\, Torstraße 1\\; Berlin\r\n');
    const [event] = parse(text);
    expect(event).toMatchObject({ summary: 'Haircut with Dr. Who', start: iso(start) });
    expect(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!.getFirstPropertyValue('location')).toBe(location);
    const adminView = parse(await (await get(`/api/v1/appointments/export-all.ics?client_id=${guest.id}`, tokens.admin)).text());
    expect(adminView.map((e) => e.summary)).toEqual(['Haircut: Guest with Dr. Who']);
    const feed = await createCaller({ services: t.api.services, token: guestToken }).calendar.feeds.create({ name: 'Phone' });
    expect(parse(await (await get(`/api/v1/calendar/feed.ics?token=${feed.token}`)).text()).map((e) => e.summary)).toEqual(['Haircut with Dr. Who']);
    expect(await (await get(`/api/v1/appointments/${ids.first}/export.ics`, tokens.client)).text()).not.toContain('LOCATION');
  });
});


describe.each(['sqlite', 'postgresql'] as const)('calendar export with NOTES_IN_CALENDAR=false on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  afterAll(() => t?.close());

  it('keeps the notes out of single exports, full exports and feeds, and nothing else', async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect, { NOTES_IN_CALENDAR: 'false' });
    const anonymous = createCaller({ services: t.api.services });
    const admin = createCaller({ services: t.api.services, token: (await anonymous.auth.login({ username: ADMIN.email, password: ADMIN.password })).access_token });
    const staffId = (await admin.auth.register({ email: 'staff@example.com', full_name: 'Dr. Who', password, role: 'staff', timezone: 'UTC' })).id;
    await admin.auth.register({ email: 'client@example.com', full_name: 'Amy', password, role: 'client', timezone: 'UTC' });
    const token = (await anonymous.auth.login({ username: 'client@example.com', password })).access_token;
    const staff = createCaller({ services: t.api.services, token: (await anonymous.auth.login({ username: 'staff@example.com', password })).access_token });
    for (let day = 0; day < 7; day++) {
      await staff.availability.create({ staff_id: staffId, day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
    }
    const start = Math.ceil((Date.now() + 48 * HOUR) / HOUR) * HOUR;
    const client = createCaller({ services: t.api.services, token });
    const { id } = await client.appointments.create({ staff_id: staffId, start_time: new Date(start).toISOString(), end_time: new Date(start + HOUR).toISOString(), notes: 'Allergic to latex' });
    const feed = await client.calendar.feeds.create({ name: 'Phone' });
    const texts = await Promise.all(
      [`/api/v1/appointments/${id}/export.ics`, '/api/v1/appointments/export-all.ics', feed.feed_path].map(async (path) =>
        (await fetch(`${t.url}${path}`, path === feed.feed_path ? {} : { headers: { authorization: `Bearer ${token}` } })).text(),
      ),
    );
    for (const text of texts) {
      expect(text).not.toContain('latex');
      expect(parse(text)).toEqual([expect.objectContaining({ uid: `appointment-${id}@appointments.localhost`, description: null, summary: 'Appointment with Dr. Who' })]);
    }
    // The API itself still has them.
    expect((await client.appointments.get({ id })).notes).toBe('Allergic to latex');
  });
});
