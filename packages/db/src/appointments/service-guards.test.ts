import { describe, expect, it } from 'vitest';
import { occurrenceKey } from '@appointments/domain';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';
import { beforeMigration } from '../migrations/upgrade.fixture.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2030-03-04T08:00:00.000Z');
const at = (hours: number) => T0 + hours * HOUR;
const FULLY_BOOKED = { code: 'APPOINTMENT.FULLY_BOOKED' };
const DAILY_LIMIT = { code: 'APPOINTMENT.DAILY_LIMIT_REACHED' };
const CLIENT_BUSY = { code: 'APPOINTMENT.CLIENT_BUSY' };
const SLOT_TAKEN = { code: 'APPOINTMENT.SLOT_TAKEN' };

/** The guards the database holds for services: seats of a group occurrence, and a staff member's daily cap. */
describe.each(Object.entries(testTargets))('seats and daily caps on %s', (engine, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let n = 0;
  const newUser = async (role: 'staff' | 'client', timezone = 'UTC') =>
    (await database.db.fork().users.create({ email: `${role}${++n}@example.com`, fullName: 'U', role, passwordHash: 'x', timezone })).id;
  const newService = (staffIds: number[], capacity: number) =>
    database.db.transaction((repos) =>
      repos.services.create({ name: `S${++n}`, description: null, durationMinutes: 60, location: null, priceCents: 0, currency: 'EUR', bufferBeforeMinutes: null, bufferAfterMinutes: null, capacity, staffIds }),
    );
  /** A seat of `service`'s occurrence [from, to) hours after T0 with `staffId`, for `clientId`. */
  const seat = (service: { id: number; capacity: number }, staffId: number, clientId: number, from = 1, to = 2) => ({
    clientId,
    staffId,
    start: at(from),
    end: at(to),
    bufferedStart: at(from),
    bufferedEnd: at(to),
    notes: null,
    serviceId: service.id,
    occurrence: occurrenceKey(service, at(from), at(to)),
  });
  const plain = (staffId: number, clientId: number, from: number, to: number) => ({ clientId, staffId, start: at(from), end: at(to), bufferedStart: at(from), bufferedEnd: at(to), notes: null });
  const scheduled = async (staffId: number) => (await database.db.fork().appointments.list({ staffId, status: 'scheduled', offset: 0, limit: 100 })).items.length;

  describe('seats of a group occurrence', () => {
    it('takes up to capacity seats, then refuses FULLY_BOOKED; cancelling frees a seat', async () => {
      const staffId = await newUser('staff');
      const service = await newService([staffId], 3);
      const clients = await Promise.all(Array.from({ length: 4 }, () => newUser('client')));
      const seats = [];
      for (const clientId of clients.slice(0, 3)) seats.push(await database.db.fork().appointments.create(seat(service, staffId, clientId)));
      expect(seats.map((s) => s.occurrence)).toEqual(Array(3).fill(`${service.id}/${at(1)}/${at(2)}`));
      await expect(database.db.fork().appointments.create(seat(service, staffId, clients[3]!))).rejects.toMatchObject(FULLY_BOOKED);
      await database.db.fork().appointments.transition(seats[0]!, { status: 'cancelled' });
      await database.db.fork().appointments.create(seat(service, staffId, clients[3]!));
      // The cancelled seat cannot come back: its place is taken.
      await expect(database.db.fork().appointments.transition({ ...seats[0]!, status: 'cancelled' }, { status: 'scheduled' })).rejects.toMatchObject(FULLY_BOOKED);
    });

    it('refuses the same client a second seat of one occurrence (CLIENT_BUSY)', async () => {
      const staffId = await newUser('staff');
      const service = await newService([staffId], 5);
      const clientId = await newUser('client');
      await database.db.fork().appointments.create(seat(service, staffId, clientId));
      await expect(database.db.fork().appointments.create(seat(service, staffId, clientId))).rejects.toMatchObject(CLIENT_BUSY);
    });

    it('refuses anything else overlapping an occurrence: a one-to-one appointment, another occurrence, either way round', async () => {
      const staffId = await newUser('staff');
      const service = await newService([staffId], 5);
      const [a, b, c] = [await newUser('client'), await newUser('client'), await newUser('client')];
      await database.db.fork().appointments.create(seat(service, staffId, a, 1, 2));
      await expect(database.db.fork().appointments.create(plain(staffId, b, 1.5, 2.5))).rejects.toMatchObject(SLOT_TAKEN);
      await expect(database.db.fork().appointments.create(seat(service, staffId, b, 1.5, 2.5))).rejects.toMatchObject(SLOT_TAKEN);
      await database.db.fork().appointments.create(plain(staffId, c, 3, 4));
      await expect(database.db.fork().appointments.create(seat(service, staffId, b, 3, 4))).rejects.toMatchObject(SLOT_TAKEN);
      // The same occurrence with another staff member is another occurrence altogether.
      const other = await newUser('staff');
      await database.db.transaction((repos) => repos.services.update(service.id, { staffIds: [staffId, other] }));
      await database.db.fork().appointments.create(seat(service, other, b, 1, 2));
    });

    it(`of 20 concurrent bookings for the last 3 seats, exactly 3 are written`, async () => {
      const staffId = await newUser('staff');
      const service = await newService([staffId], 5);
      for (let i = 0; i < 2; i++) await database.db.fork().appointments.create(seat(service, staffId, await newUser('client')));
      const clients = await Promise.all(Array.from({ length: 20 }, () => newUser('client')));
      const results = await Promise.allSettled(
        clients.map((clientId) => database.db.fork().appointments.book({ ...seat(service, staffId, clientId), actorId: clientId, actorApiKeyId: null, at: at(-1) })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject(FULLY_BOOKED);
      expect(await scheduled(staffId)).toBe(5);
    });
  });

  describe("a staff member's daily cap", () => {
    it('counts scheduled appointments of the local date; cancelling frees one; other days and staff are apart', async () => {
      // 22:00 UTC on 4 March is already 07:00 on 5 March in Tokyo: the cap counts Tokyo's days.
      const staffId = await newUser('staff', 'Asia/Tokyo');
      const clientId = await newUser('client');
      await database.db.fork().staffSettings.update(staffId, { maxBookingsPerDay: 2 });
      const first = await database.db.fork().appointments.create(plain(staffId, clientId, 14, 15));
      expect(first.localDate).toBe('2030-03-05');
      await database.db.fork().appointments.create(plain(staffId, clientId, 16, 17));
      await expect(database.db.fork().appointments.create(plain(staffId, clientId, 18, 19))).rejects.toMatchObject(DAILY_LIMIT);
      await database.db.fork().appointments.create(plain(staffId, clientId, 5, 6)); // 22:00 on 4 March, Tokyo
      await database.db.fork().appointments.create(plain(await newUser('staff'), await newUser('client'), 18, 19));
      await database.db.fork().appointments.transition(first, { status: 'cancelled' });
      await database.db.fork().appointments.create(plain(staffId, clientId, 18, 19));
      await database.db.fork().staffSettings.update(staffId, { maxBookingsPerDay: null });
      await database.db.fork().appointments.create(plain(staffId, clientId, 19, 20));
    });

    it('refuses moving an appointment into a full day, and lets it move within its own', async () => {
      const staffId = await newUser('staff');
      const clientId = await newUser('client');
      await database.db.fork().staffSettings.update(staffId, { maxBookingsPerDay: 1 });
      await database.db.fork().appointments.create(plain(staffId, clientId, 1, 2)); // 4 March
      const next = await database.db.fork().appointments.create(plain(staffId, clientId, 25, 26)); // 5 March
      await expect(database.db.fork().appointments.transition(next, { start: at(3), end: at(4), bufferedStart: at(3), bufferedEnd: at(4), localDate: '2030-03-04' })).rejects.toMatchObject(DAILY_LIMIT);
      const moved = await database.db.fork().appointments.transition(next, { start: at(27), end: at(28), bufferedStart: at(27), bufferedEnd: at(28), localDate: '2030-03-05' });
      expect(moved?.start).toBe(at(27));
    });

    it('of concurrent bookings against a cap of 1, exactly one is written', async () => {
      const staffId = await newUser('staff');
      await database.db.fork().staffSettings.update(staffId, { maxBookingsPerDay: 1 });
      const clients = await Promise.all(Array.from({ length: 12 }, () => newUser('client')));
      const results = await Promise.allSettled(
        clients.map((clientId, i) => database.db.fork().appointments.book({ ...plain(staffId, clientId, 1 + i, 2 + i), actorId: clientId, actorApiKeyId: null, at: at(-1) })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject(DAILY_LIMIT);
    });
  });

  it('moves appointments between two staff members in opposite directions at once without a deadlock: each applies', async () => {
    const [a, b] = [await newUser('staff'), await newUser('staff')];
    for (let round = 0; round < 10; round++) {
      const [c1, c2] = [await newUser('client'), await newUser('client')];
      const hour = 100 + round * 10;
      const onA = await database.db.fork().appointments.create(plain(a, c1, hour, hour + 1));
      const onB = await database.db.fork().appointments.create(plain(b, c2, hour + 2, hour + 3));
      // Each is judged against the staff member it moves to (the guard's staff id), as a reschedule is.
      const results = await Promise.all([
        database.db.fork().appointments.transition({ ...onA, staffId: b }, { staffId: b, sequence: 1 }),
        database.db.fork().appointments.transition({ ...onB, staffId: a }, { staffId: a, sequence: 1 }),
      ]);
      expect(results.map((moved) => moved?.staffId)).toEqual([b, a]);
    }
  });

  describe('what booking by service reads', () => {
    it('bookedService: duration, seats, buffers, whether active and who offers it; null for none', async () => {
      const [s1, s2] = [await newUser('staff'), await newUser('staff')];
      const service = await newService([s2, s1], 4);
      expect(await database.db.fork().appointments.bookedService(service.id)).toEqual({
        id: service.id,
        durationMinutes: 60,
        capacity: 4,
        bufferBeforeMinutes: null,
        bufferAfterMinutes: null,
        isActive: true,
        staffIds: [s1, s2],
      });
      const nobody = await newService([], 1);
      expect((await database.db.fork().appointments.bookedService(nobody.id))?.staffIds).toEqual([]);
      expect(await database.db.fork().appointments.bookedService(999_999)).toBeNull();
    });

    it("bookedService with dates also counts each offering staff member's scheduled appointments per local date in them", async () => {
      const [s1, s2, other] = [await newUser('staff'), await newUser('staff'), await newUser('staff')];
      const clientId = await newUser('client');
      const service = await newService([s1, s2], 1);
      await database.db.fork().appointments.create(plain(s1, clientId, 1, 2)); // 4 March
      await database.db.fork().appointments.create(plain(s1, clientId, 25, 26)); // 5 March
      await database.db.fork().appointments.create(plain(other, clientId, 3, 4)); // not offering it
      const cancelled = await database.db.fork().appointments.create(plain(s2, clientId, 5, 6));
      await database.db.fork().appointments.transition(cancelled, { status: 'cancelled' });
      const read = await database.db.fork().appointments.bookedService(service.id, ['2030-03-04', '2030-03-05']);
      if (engine === 'sqlite') return expect(read?.booked).toBeUndefined(); // counted per candidate afterwards there
      expect(read?.booked).toEqual(new Map([[`${s1} 2030-03-04`, 1], [`${s1} 2030-03-05`, 1]]));
      expect((await database.db.fork().appointments.bookedService(service.id, ['2030-03-05', '2030-03-05']))?.booked).toEqual(new Map([[`${s1} 2030-03-05`, 1]]));
      expect((await database.db.fork().appointments.bookedService(service.id))?.booked).toBeUndefined();
    });

    it('bookingSetups reads several setups at once, as bookingSetup reads each', async () => {
      const [s1, s2] = [await newUser('staff', 'Asia/Tokyo'), await newUser('staff')];
      await database.db.fork().staffSettings.update(s1, { maxBookingsPerDay: 3 });
      const setups = await database.db.fork().appointments.bookingSetups([s1, s2, 999_999]);
      for (const id of [s1, s2, 999_999]) expect(setups.get(id)).toEqual(await database.db.fork().appointments.bookingSetup(id));
    });

    it("bookedOnDays counts each staff member's scheduled appointments on their date", async () => {
      const [s1, s2, s3] = [await newUser('staff'), await newUser('staff'), await newUser('staff')];
      const clientId = await newUser('client');
      await database.db.fork().appointments.create({ ...plain(s1, clientId, 1, 2), clientOverlapAllowed: true });
      await database.db.fork().appointments.create({ ...plain(s1, clientId, 3, 4), clientOverlapAllowed: true });
      const gone = await database.db.fork().appointments.create({ ...plain(s2, clientId, 1, 2), clientOverlapAllowed: true });
      await database.db.fork().appointments.transition(gone, { status: 'cancelled' });
      await database.db.fork().appointments.create({ ...plain(s3, clientId, 25, 26), clientOverlapAllowed: true });
      const days = [s1, s2, s3].map((staffId) => ({ staffId, localDate: '2030-03-04' }));
      expect(await database.db.fork().appointments.bookedOnDays(days)).toEqual(new Map([[s1, 2], [s2, 0], [s3, 0]]));
      expect(await database.db.fork().appointments.bookedOnDays([])).toEqual(new Map());
    });
  });
});

describe.each(Object.entries(testTargets))('the local-date backfill on %s', (dialect, makeTarget) => {
  it("dates an appointment made before the migration in its staff member's zone", async () => {
    await beforeMigration(dialect, makeTarget, 'service_bookings', async ({ sql, user, appointment, upgrade }) => {
      const clientId = await user('c@example.com', 'client');
      // 22:30 UTC on 4 March: 5 March in Auckland, still 4 March in Los Angeles.
      const late = Date.parse('2030-03-04T22:30:00Z');
      await appointment(clientId, await user('nz@example.com', 'staff', 'Pacific/Auckland'), late);
      await appointment(clientId, await user('la@example.com', 'staff', 'America/Los_Angeles'), late + 2 * HOUR);
      await upgrade();
      const rows = (await sql.execute('select u.timezone, a.local_date from appointments a join users u on u.id = a.staff_id order by a.id')) as { timezone: string; local_date: string }[];
      expect(rows.map((row) => [row.timezone, row.local_date])).toEqual([
        ['Pacific/Auckland', '2030-03-05'],
        ['America/Los_Angeles', '2030-03-04'],
      ]);
    });
  });
});
