import { describe, expect, it } from 'vitest';
import { occurrenceKey } from '@appointments/domain';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2030-03-04T08:00:00.000Z');
const at = (hours: number) => T0 + hours * HOUR;

/** The reads behind slots by service: one statement each, however many staff members offer it. */
describe.each(Object.entries(testTargets))('slot reads by service on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let n = 0;
  const user = async (role: 'staff' | 'client', timezone = 'UTC') =>
    (await database.db.fork().users.create({ email: `${role}${++n}@slots.test`, fullName: 'U', role, passwordHash: 'x', timezone })).id;
  const service = async (staffIds: number[], capacity = 1) =>
    database.db.transaction((repos) =>
      repos.services.create({ name: 'Class', description: null, durationMinutes: 60, location: null, priceCents: 0, currency: 'EUR', bufferBeforeMinutes: null, bufferAfterMinutes: null, capacity, staffIds }),
    );

  it('reads what slots depend on, and moves it with the service, its staff list and any of their schedules', async () => {
    const [a, b, client] = [await user('staff'), await user('staff', 'Asia/Tokyo'), await user('client')];
    const { id } = await service([a, b]);
    const db = database.db;
    expect(await db.serviceSlotState(999_999, null)).toBeNull();
    const first = await db.serviceSlotState(id, null);
    expect(first).toMatchObject({ service: { id, durationMinutes: 60, bufferBeforeMinutes: null, bufferAfterMinutes: null, capacity: 1, isActive: true } });
    expect(await db.serviceSlotState(id, null)).toEqual(first);
    // Asked about one staff member: only their schedule counts (none, for one who does not offer it).
    expect((await db.serviceSlotState(id, client))?.fingerprint).not.toBe((await db.serviceSlotState(id, a))?.fingerprint);

    const seen = new Set([first!.fingerprint]);
    const moved = async () => {
      const { fingerprint } = (await db.serviceSlotState(id, null))!;
      expect(seen.has(fingerprint)).toBe(false);
      seen.add(fingerprint);
    };
    await db.fork().appointments.create({ clientId: client, staffId: b, start: at(1), end: at(2), bufferedStart: at(1), bufferedEnd: at(2), notes: null });
    await moved();
    await db.transaction((repos) => repos.services.update(id, { bufferAfterMinutes: 10 }));
    await moved();
    await db.transaction((repos) => repos.services.update(id, { staffIds: [a] }));
    await moved();
    await db.fork().users.update(a, { isActive: false });
    await moved();
    // Only the named staff member's schedule counts for a query naming them.
    const ofA = (await db.serviceSlotState(id, a))!.fingerprint;
    await db.fork().appointments.create({ clientId: client, staffId: b, start: at(3), end: at(4), bufferedStart: at(3), bufferedEnd: at(4), notes: null });
    expect((await db.serviceSlotState(id, a))!.fingerprint).toBe(ofA);
  });

  it('reads the setups, busy time with occurrences and bookings per local date of several staff members at once', async () => {
    const [a, b, c, client] = [await user('staff'), await user('staff', 'America/New_York'), await user('staff'), await user('client')];
    const { id } = await service([b, a], 3);
    const repos = database.db.fork();
    expect([...(await repos.appointments.bookingSetups([b, a, 999_999]))].map(([id, setup]) => [id, setup.staff?.timezone ?? null])).toEqual([
      [b, 'America/New_York'],
      [a, 'UTC'],
      [999_999, null],
    ]);
    expect(await repos.appointments.bookingSetups([])).toEqual(new Map());
    const versions = await repos.appointments.offeringVersions(id, null);
    expect(versions.map((v) => v.staffId)).toEqual([a, b]);
    expect(await repos.appointments.offeringVersions(id, b)).toEqual([versions[1]]);
    expect(await repos.appointments.offeringVersions(id, c)).toEqual([]);

    const occurrence = occurrenceKey({ id, capacity: 3 }, at(1), at(2));
    const seat = { clientId: client, staffId: a, start: at(1), end: at(2), bufferedStart: at(0.5), bufferedEnd: at(2), notes: null, serviceId: id, occurrence, clientOverlapAllowed: true };
    await repos.appointments.create(seat);
    await repos.appointments.create({ ...seat, clientId: await user('client') });
    await repos.appointments.create({ clientId: client, staffId: b, start: at(30), end: at(31), bufferedStart: at(30), bufferedEnd: at(31), notes: null, clientOverlapAllowed: true });
    const cancelled = await repos.appointments.create({ clientId: client, staffId: c, start: at(1), end: at(2), bufferedStart: at(1), bufferedEnd: at(2), notes: null, clientOverlapAllowed: true });
    await repos.appointments.transition({ id: cancelled.id, staffId: c, status: 'scheduled', sequence: 0 }, { status: 'cancelled' });

    expect((await repos.appointments.offeringVersions(id, a))[0]!.version).toBeGreaterThan(versions[0]!.version);
    const busy = await repos.appointments.busyIntervalsOf([a, b, c], at(0), at(48));
    expect(busy.get(a)).toEqual([
      { start: at(0.5), end: at(2), occurrence },
      { start: at(0.5), end: at(2), occurrence },
    ]);
    expect(busy.get(b)).toEqual([{ start: at(30), end: at(31), occurrence: null }]);
    expect(busy.get(c)).toEqual([]);
    expect((await repos.appointments.busyIntervalsOf([a, b], at(2), at(30))).get(b)).toEqual([]);

    const days = await repos.appointments.bookingsByDate([a, b, c], '2030-03-04', '2030-03-05');
    expect(Object.fromEntries(days)).toEqual({ [a]: [['2030-03-04', 2]], [b]: [['2030-03-05', 1]], [c]: [] });
    expect(await repos.appointments.bookingsByDate([], '2030-03-04', '2030-03-05')).toEqual(new Map());
  });
});
