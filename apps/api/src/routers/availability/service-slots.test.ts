import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate, occurrenceKey } from '@appointments/domain';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const password = 'correct-horse-1';
const HOUR = 3_600_000;

interface Slot {
  start_time: string;
  end_time: string;
  staff_ids?: number[];
  seats_left?: number;
}

/**
 * Slots by service over REST (the first call of a query through the procedure, the next from the
 * fast path), checked against what the database's guards and the staff member's own slots say.
 */
describe.each(['sqlite', 'postgresql'] as const)('slots by service on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let admin: string;
  let clientId: number;
  let day: string;
  let n = 0;
  const caller = (token?: string) => createCaller({ services: t.api.services, token });

  const staff = async (timezone = 'UTC', hours: [string, string] = ['09:00:00', '12:00:00']) => {
    const id = (await caller(admin).auth.register({ email: `svc-staff-${++n}@example.com`, full_name: 'Staff', password, role: 'staff', timezone })).id;
    for (let day_of_week = 0; day_of_week < 7; day_of_week++) {
      await caller(admin).availability.create({ staff_id: id, day_of_week, start_time: hours[0], end_time: hours[1], is_recurring: true });
    }
    return id;
  };
  const service = async (staffIds: number[], fields: { capacity?: number; duration_minutes?: number } = {}) =>
    (await caller(admin).services.create({ name: `Service ${++n}`, duration_minutes: 60, currency: 'EUR', price_cents: 0, staff_ids: staffIds, ...fields })).id;
  /** An appointment as a booking by service writes it (no buffers set anywhere here). */
  const book = async (staffId: number, start: string, serviceId: number | null = null, capacity = 1) => {
    const at = Date.parse(start);
    const end = at + HOUR;
    const occurrence = serviceId === null ? null : occurrenceKey({ id: serviceId, capacity }, at, end);
    const client = (await caller(admin).auth.register({ email: `svc-client-${++n}@example.com`, full_name: 'Client', password, role: 'client', timezone: 'UTC' })).id;
    return t.api.services.db.fork().appointments.create({ clientId: client, staffId, start: at, end, bufferedStart: at, bufferedEnd: end, notes: null, serviceId, occurrence });
  };
  const get = async (query: string) => {
    const res = await fetch(`${t.url}/api/v1/availability/slots?${query}`);
    return { status: res.status, body: (await res.json()) as Slot[] & { code?: string } };
  };
  /** The answer twice (computed, then cached), which must agree. */
  const slots = async (query: string) => {
    const first = await get(query);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await get(query)).toEqual(first);
    return first.body;
  };
  const code = async (query: string) => {
    const { status, body } = await get(query);
    return { status, code: body.code };
  };
  const iso = (date: string, hhmm: string) => `${date}T${hhmm}:00.000Z`;

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    admin = await login(t.url, ADMIN.email, ADMIN.password);
    clientId = (await caller(admin).auth.register({ email: 'svc-client@example.com', full_name: 'Client', password, role: 'client', timezone: 'UTC' })).id;
    day = addDays(localDate(Date.now(), 'UTC'), 3);
  });
  afterAll(() => t?.close());

  it('merges every active offering staff member’s slots, each on their own local date, sorted, naming who offers each', async () => {
    const [utc, tokyo, alsoUtc, inactive] = [await staff(), await staff('Asia/Tokyo'), await staff('UTC', ['10:00:00', '12:00:00']), await staff()];
    await staff(); // offers nothing
    const id = await service([utc, tokyo, alsoUtc, inactive]);
    await caller(admin).users.update({ id: inactive, is_active: false });
    // Tokyo's 09:00–12:00 on `day` is 00:00–03:00 UTC.
    expect(await slots(`service_id=${id}&date=${day}`)).toEqual([
      { start_time: iso(day, '00:00'), end_time: iso(day, '01:00'), staff_ids: [tokyo] },
      { start_time: iso(day, '01:00'), end_time: iso(day, '02:00'), staff_ids: [tokyo] },
      { start_time: iso(day, '02:00'), end_time: iso(day, '03:00'), staff_ids: [tokyo] },
      { start_time: iso(day, '09:00'), end_time: iso(day, '10:00'), staff_ids: [utc] },
      { start_time: iso(day, '10:00'), end_time: iso(day, '11:00'), staff_ids: [utc, alsoUtc] },
      { start_time: iso(day, '11:00'), end_time: iso(day, '12:00'), staff_ids: [utc, alsoUtc] },
    ]);
    // Named, a staff member's slots of the service are their own slots of its duration.
    const own = await slots(`staff_id=${tokyo}&date=${day}&slot_duration=60`);
    expect(await slots(`service_id=${id}&staff_id=${tokyo}&date=${day}`)).toEqual(own);
    expect(await slots(`service_id=${id}&staff_id=${tokyo}&date=${day}&slot_duration=60`)).toEqual(own);
    // Over tRPC too.
    expect(await caller().availability.slots({ service_id: id, date: day })).toEqual((await get(`service_id=${id}&date=${day}`)).body);
  });

  it('counts the seats left of a group service, drops a full occurrence, and lets any other appointment block', async () => {
    const [a, b] = [await staff(), await staff()];
    const id = await service([a, b], { capacity: 2 });
    const at = (hhmm: string) => iso(day, hhmm);
    const seats = async (query: string) => (await slots(query)).map((slot) => [slot.start_time.slice(11, 16), slot.seats_left, slot.staff_ids]);
    expect(await seats(`service_id=${id}&staff_id=${a}&date=${day}`)).toEqual([['09:00', 2, undefined], ['10:00', 2, undefined], ['11:00', 2, undefined]]);
    await book(a, at('10:00'), id, 2);
    expect(await seats(`service_id=${id}&staff_id=${a}&date=${day}`)).toEqual([['09:00', 2, undefined], ['10:00', 1, undefined], ['11:00', 2, undefined]]);
    expect(await seats(`service_id=${id}&date=${day}`)).toEqual([['09:00', 4, [a, b]], ['10:00', 3, [a, b]], ['11:00', 4, [a, b]]]);
    await book(a, at('10:00'), id, 2);
    expect(await seats(`service_id=${id}&staff_id=${a}&date=${day}`)).toEqual([['09:00', 2, undefined], ['11:00', 2, undefined]]);
    expect(await seats(`service_id=${id}&date=${day}`)).toEqual([['09:00', 4, [a, b]], ['10:00', 2, [b]], ['11:00', 4, [a, b]]]);
    // A one-to-one appointment, and a seat of another service, block as usual.
    await book(b, at('09:00'));
    await book(b, at('11:00'), await service([b], { capacity: 5 }), 5);
    expect(await seats(`service_id=${id}&date=${day}`)).toEqual([['09:00', 2, [a]], ['10:00', 2, [b]], ['11:00', 2, [a]]]);
  });

  it('offers no slot on a day the staff member’s daily cap has filled, by service or not', async () => {
    const [capped, free] = [await staff(), await staff()];
    const id = await service([capped, free]);
    await caller(admin).staff.settings.update({ staff_id: capped, max_bookings_per_day: 2 });
    const next = addDays(day, 1);
    const own = `staff_id=${capped}&from=${day}&to=${next}&slot_duration=60`;
    expect(await slots(own)).toHaveLength(6);
    await book(capped, iso(day, '09:00'));
    expect(await slots(own)).toHaveLength(5);
    await book(capped, iso(day, '11:00'));
    expect((await slots(own)).map((slot) => slot.start_time)).toEqual([iso(next, '09:00'), iso(next, '10:00'), iso(next, '11:00')]);
    const merged = await slots(`service_id=${id}&from=${day}&to=${next}`);
    expect(merged.filter((slot) => slot.staff_ids?.includes(capped)).map((slot) => slot.start_time)).toEqual([iso(next, '09:00'), iso(next, '10:00'), iso(next, '11:00')]);
    expect(merged.filter((slot) => slot.start_time.startsWith(day))).toHaveLength(3);
  });

  it('offers no more seats of a group service than the daily cap still allows that day', async () => {
    const coach = await staff();
    const id = await service([coach], { capacity: 5 });
    await caller(admin).staff.settings.update({ staff_id: coach, max_bookings_per_day: 3 });
    const seats = async () => (await slots(`service_id=${id}&staff_id=${coach}&date=${day}`)).map((slot) => [slot.start_time.slice(11, 16), slot.seats_left]);
    expect(await seats()).toEqual([['09:00', 3], ['10:00', 3], ['11:00', 3]]);
    await book(coach, iso(day, '10:00'), id, 5);
    await book(coach, iso(day, '10:00'), id, 5);
    expect(await seats()).toEqual([['09:00', 1], ['10:00', 1], ['11:00', 1]]);
    await book(coach, iso(day, '09:00'), id, 5);
    expect(await seats()).toEqual([]);
  });

  it('refuses a duration other than the service’s, a staff member who does not offer it, and an unknown or inactive service', async () => {
    const [offering, other] = [await staff(), await staff()];
    const id = await service([offering]);
    expect(await code(`service_id=${id}&date=${day}&slot_duration=30`)).toEqual({ status: 422, code: 'SERVICE.DURATION_MISMATCH' });
    await slots(`service_id=${id}&date=${day}`); // cached: the fast path must still refuse
    expect(await code(`service_id=${id}&date=${day}&slot_duration=30`)).toEqual({ status: 422, code: 'SERVICE.DURATION_MISMATCH' });
    expect(await code(`service_id=${id}&staff_id=${other}&date=${day}`)).toEqual({ status: 422, code: 'SERVICE.NOT_OFFERED' });
    expect(await code(`service_id=${id}&staff_id=${clientId}&date=${day}`)).toEqual({ status: 404, code: 'STAFF.NOT_FOUND' });
    expect(await code(`service_id=999999&date=${day}`)).toEqual({ status: 404, code: 'SERVICE.NOT_FOUND' });
    expect(await code(`date=${day}`)).toEqual({ status: 422, code: 'VALIDATION.FAILED' });
    await caller(admin).services.delete({ id });
    expect(await code(`service_id=${id}&date=${day}`)).toEqual({ status: 404, code: 'SERVICE.NOT_FOUND' });
    expect(await code(`service_id=${id}&staff_id=${offering}&date=${day}`)).toEqual({ status: 404, code: 'SERVICE.NOT_FOUND' });
  });

  it('applies each staff member’s own notice and horizon at each call’s own time', async () => {
    const [a, b] = [await staff(), await staff()];
    const id = await service([a, b]);
    await caller(admin).staff.settings.update({ staff_id: a, min_notice_minutes: 60 });
    await caller(admin).staff.settings.update({ staff_id: b, max_advance_days: 3 });
    const opening = Date.parse(iso(day, '09:00'));
    const at = async (now: number) =>
      (await createCaller({ services: t.api.services, token: undefined, now: new Date(now) }).availability.slots({ service_id: id, date: day })).map(
        (slot) => `${slot.start_time.slice(11, 16)}:${slot.staff_ids!.join('+')}`,
      );
    const both = [`09:00:${a}+${b}`, `10:00:${a}+${b}`, `11:00:${a}+${b}`];
    // b's horizon reaches 09:00 only 3 days before it; a's notice closes it an hour before.
    expect(await at(opening - 3 * 24 * HOUR - 1)).toEqual([`09:00:${a}`, `10:00:${a}`, `11:00:${a}`]);
    expect(await at(opening - 3 * 24 * HOUR + HOUR)).toEqual([`09:00:${a}+${b}`, `10:00:${a}+${b}`, `11:00:${a}`]);
    expect(await at(opening - 2 * HOUR)).toEqual(both);
    expect(await at(opening - 30 * 60_000)).toEqual([`09:00:${b}`, `10:00:${a}+${b}`, `11:00:${a}+${b}`]);
    expect(await at(opening - 60 * 60_000)).toEqual(both);
    expect(await at(opening + 30 * 60_000)).toEqual([`10:00:${b}`, `11:00:${a}+${b}`]);
    expect(await at(opening - 2 * HOUR)).toEqual(both);
  });

  it('answers afresh after a booking, and after any change to the service or who offers it', async () => {
    const [a, b] = [await staff(), await staff()];
    const id = await service([a]);
    const query = `service_id=${id}&date=${day}`;
    const starts = async () => (await slots(query)).map((slot) => `${slot.start_time.slice(11, 16)}${slot.staff_ids?.join('+') === String(a) ? '' : `:${slot.staff_ids?.join('+')}`}`);
    expect(await starts()).toEqual(['09:00', '10:00', '11:00']);
    const booked = await book(a, iso(day, '10:00'));
    expect(await starts()).toEqual(['09:00', '11:00']);
    await t.api.services.db.fork().appointments.transition({ id: booked.id, staffId: a, status: 'scheduled', sequence: 0 }, { status: 'cancelled' });
    expect(await starts()).toEqual(['09:00', '10:00', '11:00']);
    await caller(admin).services.update({ id, duration_minutes: 90 });
    expect(await starts()).toEqual(['09:00', '10:30']);
    await caller(admin).services.update({ id, duration_minutes: 60, buffer_after_minutes: 30 });
    expect(await starts()).toEqual(['09:00', '10:00', '11:00']);
    await book(a, iso(day, '10:00'));
    expect(await starts()).toEqual(['11:00']);
    await caller(admin).services.update({ id, staff_ids: [a, b] });
    expect(await starts()).toEqual([`09:00:${b}`, `10:00:${b}`, `11:00:${a}+${b}`]);
    await caller(admin).staff.settings.update({ staff_id: b, slot_interval_minutes: 120 });
    expect(await starts()).toEqual([`09:00:${b}`, `11:00:${a}+${b}`]);
  });
});
