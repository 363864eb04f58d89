import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Repositories } from '@appointments/db';
import { sqliteTestTarget, testTargets, useTestDatabase, type TestTarget } from '@appointments/testkit/db';
import { addDays, availabilityWindows, localDate, occurrenceKey, resolveBookingRules, rulesForService, validateBooking, type Appointment, type User } from '@appointments/domain';
import { login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { DEMO_PASSWORDS } from './data.ts';
import { DEMO_ACCOUNTS, seedDemo, type DemoSettings } from './seed.ts';
import { createServer } from '../server.ts';
import { parseEnv } from '../env.ts';

const DAY_MS = 86_400_000;
const SETTINGS: DemoSettings = {
  bookingDefaults: { bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 0, maxAdvanceDays: 365, slotIntervalMinutes: null, maxBookingsPerDay: null },
  lifecycle: { cancellationWindowMinutes: 120, noShowBlockThreshold: 3 },
  minAppointmentMinutes: 5,
};

describe.each(['sqlite', 'postgresql'] as const)('the demo seed on %s', (dialect) => {
  const now = new Date();
  let target: TestTarget;
  let db: Database;
  let t: TestApi;

  beforeAll(async () => {
    target = await testTargets[dialect]();
    db = await Database.open(target.target);
    expect(await seedDemo(db, SETTINGS, now)).toMatchObject({ created: true, appointments: 27, services: 3 });
    const { target: where } = target;
    // A real API over the same database (it also creates its own test admin, admin@example.com).
    t = await startTestApi({ createServer, parseEnv }, dialect, { DATABASE_URL: where.dialect === 'sqlite' ? `sqlite:///${where.path}` : where.url });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await db?.close();
    await target?.drop();
  });

  const demoUsers = async (repos: Repositories): Promise<User[]> =>
    (await repos.users.list({ offset: 0, limit: 1000 })).items.filter((u) => u.email.endsWith('@demo.example'));
  const appointments = async (repos: Repositories): Promise<readonly Appointment[]> => (await repos.appointments.list({ offset: 0, limit: 1000 })).items;
  const byRole = (users: User[], role: User['role']) => users.filter((u) => u.role === role);

  it('creates an admin, three staff in different zones and clients, some in yet other zones', async () => {
    const users = await demoUsers(db.fork());
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
    expect(byRole(users, 'admin')).toHaveLength(1);
    const staffZones = new Set(byRole(users, 'staff').map((u) => u.timezone));
    expect(staffZones.size).toBe(3);
    const clients = byRole(users, 'client');
    expect(clients.length).toBeGreaterThanOrEqual(4);
    expect(clients.some((c) => !staffZones.has(c.timezone))).toBe(true);
  });

  it('has every status, past and future, one rescheduled appointment and no outbox rows', async () => {
    const all = await appointments(db.fork());
    const past = all.filter((a) => a.end <= now.getTime());
    const future = all.filter((a) => a.start > now.getTime());
    expect(past.length + future.length).toBe(all.length);
    expect(new Set(past.map((a) => a.status))).toEqual(new Set(['completed', 'no_show', 'cancelled']));
    expect(new Set(future.map((a) => a.status))).toEqual(new Set(['scheduled', 'cancelled']));
    expect(all.filter((a) => a.status === 'scheduled' && a.sequence === 1)).toHaveLength(1);
    expect(all.filter((a) => a.status === 'cancelled').every((a) => a.sequence === 1)).toBe(true);
    // Reminders are left to the worker's sweep; confirmations for demo bookings would be noise.
    expect(await db.fork().notifications.count()).toBe(0);
  });

  it("keeps every appointment inside its staff member's availability, with its buffers, and none overlapping but a group class's seats", async () => {
    const repos = db.fork();
    const all = await appointments(repos);
    const services = new Map((await repos.services.list({ includeInactive: true, offset: 0, limit: 100 })).items.map((s) => [s.id, s]));
    for (const staff of byRole(await demoUsers(repos), 'staff')) {
      const rules = await repos.availability.listForStaff(staff.id);
      expect(rules.filter((r) => r.kind === 'unavailable' && r.type === 'date')).toHaveLength(1); // the holiday
      const booking = resolveBookingRules(await repos.staffSettings.get(staff.id), SETTINGS.bookingDefaults);
      const own = all.filter((a) => a.staffId === staff.id).sort((a, b) => a.bufferedStart - b.bufferedStart);
      expect(own.length).toBeGreaterThan(0);
      for (const [i, a] of own.entries()) {
        const { start, end } = a;
        const service = a.serviceId === null ? null : services.get(a.serviceId)!;
        expect(a.occurrence).toBe(occurrenceKey(service, start, end));
        expect(a.localDate).toBe(localDate(start, staff.timezone));
        const date = localDate(start, staff.timezone);
        const { windows, blocked } = availabilityWindows(rules, staff.timezone, addDays(date, -1), addDays(date, 1));
        const seats = (o: Appointment) => a.occurrence !== null && o.occurrence === a.occurrence;
        const busy = own.filter((o) => o !== a && !seats(o)).map((o) => ({ start: o.bufferedStart, end: o.bufferedEnd }));
        // The booking rules as of a day before the start: inside the windows, off the holiday, clear of the others' buffers.
        const buffered = validateBooking({
          start,
          end,
          now: start - DAY_MS,
          rules: rulesForService(booking, service),
          minMinutes: SETTINGS.minAppointmentMinutes,
          windows,
          blocked,
          busy,
          clientBlocked: false,
        });
        expect(buffered).toEqual({ bufferedStart: a.bufferedStart, bufferedEnd: a.bufferedEnd });
        if (i > 0 && !seats(own[i - 1]!)) expect(a.bufferedStart).toBeGreaterThanOrEqual(own[i - 1]!.bufferedEnd);
      }
    }
    // The directory shows each staff member's title and the services they offer.
    const directory = (await repos.staffDirectory.list({ limit: 10 })).items;
    expect(directory.filter((entry) => entry.title !== null && entry.bio !== null && entry.serviceIds.length > 0)).toHaveLength(3);
    // A group class with seats taken, and services whose durations match their appointments.
    const group = all.filter((a) => a.occurrence !== null && a.status === 'scheduled');
    expect(group.length).toBeGreaterThanOrEqual(3);
    expect(new Set(group.map((a) => a.occurrence)).size).toBe(1);
    for (const a of all.filter((a) => a.serviceId !== null)) expect(a.end - a.start).toBe(services.get(a.serviceId!)!.durationMinutes * 60_000);
    const buffers = await Promise.all(byRole(await demoUsers(repos), 'staff').map((s) => repos.staffSettings.get(s.id)));
    expect(buffers.some((b) => b.bufferAfterMinutes === 15 && b.slotIntervalMinutes === 30)).toBe(true);
  });

  it('gives each appointment the history the API writes, and clients counters that match it', async () => {
    const repos = db.fork();
    const all = await appointments(repos);
    for (const a of all) {
      const events = await repos.appointmentEvents.listFor(a.id);
      expect(events[0]).toMatchObject({ action: 'booked', actorId: a.clientId, toStatus: 'scheduled', fromStatus: null });
      expect(events[0]!.at).toBeLessThan(a.start);
      expect(events.every((e) => e.at <= now.getTime())).toBe(true);
      if (a.status === 'scheduled' && a.sequence === 0) expect(events).toHaveLength(1);
      else if (a.status === 'scheduled') {
        expect(events[1]).toMatchObject({ action: 'rescheduled', toStart: a.start, toEnd: a.end, fromStatus: null, reason: expect.any(String) });
        expect(events[1]!.fromStart).not.toEqual(a.start);
      } else {
        expect(events).toHaveLength(2);
        expect(events[1]).toMatchObject({ action: a.status, fromStatus: 'scheduled', toStatus: a.status });
        if (a.status !== 'cancelled') expect(events[1]!.actorId).toBe(a.staffId);
      }
    }
    const clients = byRole(await demoUsers(repos), 'client');
    for (const c of clients) {
      const own = all.filter((a) => a.clientId === c.id);
      const noShows = own.filter((a) => a.status === 'no_show').length;
      expect(c).toMatchObject({ completedCount: own.filter((a) => a.status === 'completed').length, noShowCount: noShows, isBlocked: noShows >= 3 });
    }
    const blocked = clients.filter((c) => c.isBlocked);
    expect(blocked).toHaveLength(1);
    expect(await repos.userEvents.listFor(blocked[0]!.id)).toEqual([expect.objectContaining({ action: 'blocked', reason: 'Reached 3 no-shows' })]);
  });

  it('is usable through the REST API with the documented passwords', async () => {
    const get = async (path: string, token?: string) => {
      const res = await fetch(`${t.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const tokens = new Map<string, string>();
    for (const account of DEMO_ACCOUNTS) tokens.set(account.email, await login(t.url, account.email, DEMO_PASSWORDS[account.role]));

    const users = await demoUsers(db.fork());
    const ada = users.find((u) => u.email === 'ada.lovelace@demo.example')!;
    const mine = (await get('/api/v1/appointments?limit=200', tokens.get(ada.email))).body as { client_id: number; id: number; sequence: number; status: string }[];
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.every((a) => a.client_id === ada.id)).toBe(true);
    const moved = mine.find((a) => a.status === 'scheduled' && a.sequence === 1)!;
    const history = (await get(`/api/v1/appointments/${moved.id}/history`, tokens.get('admin@demo.example'))).body as { action: string }[];
    expect(history.map((e) => e.action)).toEqual(['booked', 'rescheduled']);

    // Lena's next free hour can be booked; the blocked client cannot book it.
    const lena = users.find((u) => u.email === 'lena.fischer@demo.example')!;
    const from = addDays(localDate(now.getTime(), lena.timezone), 1);
    const slots = (await get(`/api/v1/availability/slots?staff_id=${lena.id}&from=${from}&to=${addDays(from, 6)}&slot_duration=60`)).body as { start_time: string; end_time: string }[];
    expect(slots.length).toBeGreaterThan(0);
    const holiday = (await db.fork().availability.listForStaff(lena.id)).find((r) => r.kind === 'unavailable' && r.type === 'date');
    expect(holiday?.type === 'date' && (await get(`/api/v1/availability/slots?staff_id=${lena.id}&date=${holiday.date}`)).body).toEqual([]);
    const book = async (email: string) => {
      const res = await fetch(`${t.url}/api/v1/appointments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get(email)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ staff_id: lena.id, ...slots[0] }),
      });
      return { status: res.status, body: (await res.json()) as { code?: string } };
    };
    expect((await book('maya.chen@demo.example')).body.code).toBe('APPOINTMENT.CLIENT_BLOCKED');
    expect((await book('tom.becker@demo.example')).status).toBe(201);
  });

  it('adds nothing when run again', async () => {
    const before = { users: (await demoUsers(db.fork())).length, appointments: (await appointments(db.fork())).length };
    expect(await seedDemo(db, SETTINGS)).toMatchObject({ created: false, appointments: 0 });
    expect({ users: (await demoUsers(db.fork())).length, appointments: (await appointments(db.fork())).length }).toEqual(before);
  });
});

describe('the demo seed next to real accounts', () => {
  const suite = useTestDatabase(Database.open, async () => sqliteTestTarget());

  it('names demo addresses someone already signed up with, and writes nothing', async () => {
    await suite.db.fork().users.create({ email: 'ada.lovelace@demo.example', fullName: 'Ada', role: 'client', passwordHash: 'x', timezone: 'UTC' });
    await expect(seedDemo(suite.db, SETTINGS)).rejects.toThrow('these demo accounts exist already, without the demo admin: ada.lovelace@demo.example');
    expect(await suite.db.fork().users.count()).toBe(1);
  });
});
