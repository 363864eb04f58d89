import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '@appointments/domain';
import { ADMIN, login, rest, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const PASSWORD = 'service-booking-1';

/** Booking a service over REST and tRPC: durations, who is assigned, seats, daily caps. */
describe.each(['sqlite', 'postgresql'] as const)('booking by service on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let admin: string;
  let n = 0;
  let day: string; // a UTC date a few days ahead; every staff member here works 08:00–18:00 UTC
  const at = (time: string, date = day) => `${date}T${time}:00Z`;

  const call = (method: string, path: string, token?: string, json?: unknown, idempotencyKey?: string) =>
    rest(t.url, method, path, { ...(token && { token }), ...(json !== undefined && { json }), ...(idempotencyKey && { idempotencyKey }) });
  const created = async (answer: ReturnType<typeof call>) => {
    const { status, body } = await answer;
    expect(status, JSON.stringify(body)).toBeOneOf([200, 201]);
    return body;
  };
  const client = async () => {
    const email = `client${++n}@service-booking.test`;
    const { id } = await created(call('POST', '/api/v1/auth/register', admin, { email, full_name: 'Client', password: PASSWORD }));
    return { id: id as number, token: await login(t.url, email, PASSWORD) };
  };
  const staffEmails = new Map<number, string>();
  const staff = async (hours: [string, string] = ['08:00', '18:00']) => {
    const email = `staff${++n}@service-booking.test`;
    const { id } = await created(call('POST', '/api/v1/auth/register', admin, { email, full_name: 'Staff', password: PASSWORD, role: 'staff', timezone: 'UTC' }));
    staffEmails.set(id as number, email);
    for (let dayOfWeek = 0; dayOfWeek < 7; dayOfWeek++) {
      await created(call('POST', '/api/v1/availability/', admin, { staff_id: id, day_of_week: dayOfWeek, start_time: hours[0], end_time: hours[1], is_recurring: true }));
    }
    return id as number;
  };
  const service = async (staffIds: number[], extra: object = {}) =>
    (await created(call('POST', '/api/v1/services', admin, { name: `Service ${++n}`, duration_minutes: 45, currency: 'EUR', price_cents: 0, staff_ids: staffIds, ...extra }))).id as number;
  const book = (token: string, body: object, idempotencyKey?: string) => call('POST', '/api/v1/appointments', token, body, idempotencyKey);
  const refusal = async (answer: ReturnType<typeof call>) => {
    const { status, body } = await answer;
    return [status, body.code];
  };

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    admin = await login(t.url, ADMIN.email, ADMIN.password);
    day = addDays(localDate(Date.now(), 'UTC'), 3);
  }, 60_000);
  afterAll(() => t?.close());

  it('books a named staff member for a service: the end is the start plus its duration, its buffers replace theirs', async () => {
    const staffId = await staff();
    await created(call('PATCH', `/api/v1/staff/${staffId}/settings`, admin, { buffer_after_minutes: 30 }));
    const serviceId = await service([staffId], { buffer_after_minutes: 0 });
    const { token } = await client();
    const booked = await book(token, { service_id: serviceId, staff_id: staffId, start_time: at('09:00') });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ staff_id: staffId, start_time: new Date(at('09:00')).toISOString(), end_time: new Date(at('09:45')).toISOString() });
    // The service keeps no buffer after: 09:45 is free for it, though the staff member's own 30 minutes would not be.
    const { token: other } = await client();
    expect((await book(other, { service_id: serviceId, staff_id: staffId, start_time: at('09:45'), end_time: at('10:30') })).status).toBe(201);
    expect(await refusal(book(other, { staff_id: staffId, start_time: at('10:30'), end_time: at('11:00') }))).toEqual([201, undefined]);
    expect(await refusal(book(token, { staff_id: staffId, start_time: at('11:00'), end_time: at('11:30') }))).toEqual([409, 'APPOINTMENT.SLOT_TAKEN']);
  });

  it('refuses what a service booking may not be: a wrong duration, a staff member who does not offer it, an unknown or inactive service, missing fields', async () => {
    const [offering, other] = [await staff(), await staff()];
    const serviceId = await service([offering]);
    const { token } = await client();
    const body = { service_id: serviceId, start_time: at('12:00') };
    expect(await refusal(book(token, { ...body, end_time: at('13:00') }))).toEqual([422, 'APPOINTMENT.DURATION_MISMATCH']);
    expect(await refusal(book(token, { ...body, staff_id: other }))).toEqual([422, 'SERVICE.NOT_OFFERED']);
    expect(await refusal(book(token, { ...body, service_id: 999_999 }))).toEqual([404, 'SERVICE.NOT_FOUND']);
    const retired = await service([offering]);
    await created(call('PATCH', `/api/v1/services/${retired}`, admin, { is_active: false }));
    expect(await refusal(book(token, { ...body, service_id: retired }))).toEqual([404, 'SERVICE.NOT_FOUND']);
    expect(await refusal(book(token, { start_time: at('12:00'), end_time: at('13:00') }))).toEqual([422, 'VALIDATION.FAILED']);
    expect(await refusal(book(token, { staff_id: offering, start_time: at('12:00') }))).toEqual([422, 'VALIDATION.FAILED']);
    expect(await refusal(book(token, { ...body, start_time: at('12:00', addDays(day, 1)).replace('Z', '') }))).toEqual([201, undefined]);
  });

  it('assigns whoever offers the service and can take the time, fewest appointments that day first, then the lowest id', async () => {
    const [first, second] = [await staff(), await staff()];
    const late = await staff(['14:00', '18:00']); // not there in the morning: skipped
    const serviceId = await service([late, second, first]);
    const assigned: number[] = [];
    for (const time of ['08:00', '09:00', '10:00', '11:00']) {
      const booked = await book((await client()).token, { service_id: serviceId, start_time: at(time) });
      expect(booked.status).toBe(201);
      assigned.push(booked.body.staff_id as number);
    }
    expect(assigned).toEqual([first, second, first, second]);
    // In the afternoon the third has none that day yet: theirs first.
    expect((await book((await client()).token, { service_id: serviceId, start_time: at('14:00') })).body.staff_id).toBe(late);
    // At a time one candidate has taken, the other is assigned; when all have, SLOT_TAKEN.
    expect((await book((await client()).token, { service_id: serviceId, start_time: at('14:00') })).body.staff_id).toBe(first);
    expect((await book((await client()).token, { service_id: serviceId, start_time: at('14:00') })).body.staff_id).toBe(second);
    expect(await refusal(book((await client()).token, { service_id: serviceId, start_time: at('14:00') }))).toEqual([409, 'APPOINTMENT.SLOT_TAKEN']);
    // Nobody works at night: everyone refused alike, so that refusal.
    expect(await refusal(book((await client()).token, { service_id: serviceId, start_time: at('20:00') }))).toEqual([422, 'APPOINTMENT.OUTSIDE_AVAILABILITY']);
    expect(await refusal(book((await client()).token, { service_id: await service([]), start_time: at('09:00') }))).toEqual([422, 'SERVICE.NOT_OFFERED']);
  });

  it('seats up to capacity clients in one group occurrence, each with an appointment and calendar event of their own', async () => {
    const staffId = await staff();
    const serviceId = await service([staffId], { capacity: 2 });
    const [a, b, c] = [await client(), await client(), await client()];
    const body = { service_id: serviceId, start_time: at('15:00') };
    const seats = [await book(a.token, body), await book(b.token, { ...body, staff_id: staffId })];
    expect(seats.map((s) => s.status)).toEqual([201, 201]);
    expect(seats.map((s) => s.body.client_id)).toEqual([a.id, b.id]);
    expect(await refusal(book(c.token, body))).toEqual([409, 'APPOINTMENT.FULLY_BOOKED']);
    expect(await refusal(book(a.token, body))).toEqual([409, 'APPOINTMENT.CLIENT_BUSY']);
    // A one-to-one booking over the session is refused.
    expect(await refusal(book(c.token, { staff_id: staffId, start_time: at('15:30'), end_time: at('16:00') }))).toEqual([409, 'APPOINTMENT.SLOT_TAKEN']);
    const uids = await Promise.all(
      seats.map(async (seat, i) => {
        const res = await fetch(`${t.url}/api/v1/appointments/${seat.body.id}/export.ics`, { headers: { authorization: `Bearer ${[a, b][i]!.token}` } });
        return /^UID:(.*)$/m.exec(await res.text())?.[1]?.trim();
      }),
    );
    expect(uids[0]).toContain(`appointment-${seats[0]!.body.id}@`);
    expect(uids[1]).toContain(`appointment-${seats[1]!.body.id}@`);
    // Cancelling one seat frees it.
    expect((await call('POST', `/api/v1/appointments/${seats[0]!.body.id}/cancel`, admin, {})).status).toBe(200);
    expect((await book(c.token, body)).status).toBe(201);
  });

  it("refuses a booking past the staff member's daily cap; assignment moves on to someone else", async () => {
    const [capped, free] = [await staff(), await staff()];
    await created(call('PATCH', `/api/v1/staff/${capped}/settings`, admin, { max_bookings_per_day: 1 }));
    const date = addDays(day, 2);
    expect((await book((await client()).token, { staff_id: capped, start_time: at('09:00', date), end_time: at('10:00', date) })).status).toBe(201);
    expect(await refusal(book((await client()).token, { staff_id: capped, start_time: at('11:00', date), end_time: at('12:00', date) }))).toEqual([409, 'APPOINTMENT.DAILY_LIMIT_REACHED']);
    const serviceId = await service([capped]);
    expect(await refusal(book((await client()).token, { service_id: serviceId, start_time: at('11:00', date) }))).toEqual([409, 'APPOINTMENT.DAILY_LIMIT_REACHED']);
    await created(call('PATCH', `/api/v1/services/${serviceId}`, admin, { staff_ids: [capped, free] }));
    // Both have one that day (the free one after this): ids decide, the capped one refuses, the next takes it.
    expect((await book((await client()).token, { staff_id: free, start_time: at('09:00', date), end_time: at('10:00', date) })).status).toBe(201);
    expect((await book((await client()).token, { service_id: serviceId, start_time: at('11:00', date) })).body.staff_id).toBe(free);
  });

  it('replays a repeated Idempotency-Key of a booking by service, and refuses the key with another service', async () => {
    const staffId = await staff();
    const serviceId = await service([staffId]);
    const { token } = await client();
    const body = { service_id: serviceId, start_time: at('16:00') };
    const first = await book(token, body, `svc-${dialect}`);
    const again = await book(token, body, `svc-${dialect}`);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect(await refusal(book(token, { ...body, service_id: await service([staffId]) }, `svc-${dialect}`))).toEqual([422, 'IDEMPOTENCY.KEY_REUSED']);
  });

  describe('rescheduling keeps the service', () => {
    const move = (token: string, id: unknown, body: object) => call('POST', `/api/v1/appointments/${id}/reschedule`, token, body);
    const date = () => addDays(day, 5);

    it('the end follows the new start by its duration, or must agree with it; a plain appointment still needs its end', async () => {
      const staffId = await staff();
      const serviceId = await service([staffId]);
      const { token } = await client();
      const booked = await created(book(token, { service_id: serviceId, start_time: at('09:00', date()) }));
      const moved = await move(token, booked.id, { new_start_time: at('10:00', date()) });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ staff_id: staffId, start_time: new Date(at('10:00', date())).toISOString(), end_time: new Date(at('10:45', date())).toISOString() });
      expect(await refusal(move(token, booked.id, { new_start_time: at('11:00', date()), new_end_time: at('12:00', date()) }))).toEqual([422, 'APPOINTMENT.DURATION_MISMATCH']);
      const plain = await created(book(token, { staff_id: staffId, start_time: at('13:00', date()), end_time: at('14:00', date()) }));
      expect(await refusal(move(token, plain.id, { new_start_time: at('15:00', date()) }))).toEqual([422, 'VALIDATION.FAILED']);
      expect(await refusal(move(token, plain.id, { new_start_time: at('15:00', date()), staff_id: await staff() }))).toEqual([422, 'SERVICE.NOT_OFFERED']);
    });

    it('moves to another staff member who offers it: the client and admins may, a staff member only to themselves', async () => {
      const [own, other, outsider] = [await staff(), await staff(), await staff()];
      const serviceId = await service([own, other]);
      const { token } = await client();
      const booked = await created(book(token, { service_id: serviceId, staff_id: own, start_time: at('09:00', date()) }));
      expect(await refusal(move(token, booked.id, { new_start_time: at('09:00', date()), staff_id: outsider }))).toEqual([422, 'SERVICE.NOT_OFFERED']);
      const ownToken = await login(t.url, staffEmails.get(own)!, PASSWORD);
      expect(await refusal(move(ownToken, booked.id, { new_start_time: at('09:00', date()), staff_id: other }))).toEqual([403, 'AUTH.FORBIDDEN']);
      const moved = await move(token, booked.id, { new_start_time: at('09:00', date()), staff_id: other });
      expect([moved.status, moved.body.staff_id]).toEqual([200, other]);
      const back = await move(admin, booked.id, { new_start_time: at('11:00', date()), staff_id: own });
      expect([back.status, back.body.staff_id]).toEqual([200, own]);
    });

    it('tells everyone of a move to another staff member: the client of the move, the new staff member of a booking, the previous one of a cancellation', async () => {
      const [own, other] = [await staff(), await staff()];
      const serviceId = await service([own, other]);
      const { id: clientId, token } = await client();
      const booked = await created(book(token, { service_id: serviceId, staff_id: own, start_time: at('13:00', date()) }));
      const moved = await created(move(token, booked.id, { new_start_time: at('14:00', date()), staff_id: other }));
      const repos = t.api.services.db.fork();
      await repos.appointmentChanges.processPending({ reminderLeadMinutes: [24 * 60] }, 10_000); // the worker's step
      const notices = (await repos.notifications.list({ appointmentId: booked.id as number, limit: 50 })).items.filter((n) => n.sequence === (moved.sequence as number) && n.kind !== 'reminder');
      expect(notices.map((n) => [n.kind, n.recipientId]).sort()).toEqual(
        [
          ['cancellation', own],
          ['confirmation', other],
          ['reschedule', clientId],
        ].sort(),
      );
      // The email to the previous staff member is addressed to them, about the time it had with them.
      const cancellation = notices.find((n) => n.kind === 'cancellation')!;
      const deliverable = await repos.notifications.findDeliverable(cancellation.id);
      expect(deliverable?.appointment?.recipient).toMatchObject({ id: own, email: staffEmails.get(own) });
      expect(cancellation.details).toMatchObject({ previousStart: Date.parse(at('13:00', date())) });
    });

    it('goes to whoever else offers it when its own staff member cannot take the new time; stays refused when nobody can', async () => {
      const own = await staff(['08:00', '12:00']);
      const other = await staff();
      const serviceId = await service([own, other]);
      const { token } = await client();
      const booked = await created(book(token, { service_id: serviceId, staff_id: own, start_time: at('09:00', date()) }));
      const moved = await move(token, booked.id, { new_start_time: at('14:00', date()) });
      expect([moved.status, moved.body.staff_id]).toEqual([200, other]);
      expect(await refusal(move(token, booked.id, { new_start_time: at('20:00', date()) }))).toEqual([422, 'APPOINTMENT.OUTSIDE_AVAILABILITY']);
    });

    it("a seat moves into another session of the service, and not into a full one", async () => {
      const staffId = await staff();
      const serviceId = await service([staffId], { capacity: 2 });
      const [a, b, c] = [await client(), await client(), await client()];
      const seat = await created(book(a.token, { service_id: serviceId, start_time: at('09:00', date()) }));
      await created(book(b.token, { service_id: serviceId, start_time: at('10:00', date()) }));
      expect((await move(a.token, seat.id, { new_start_time: at('10:00', date()) })).status).toBe(200);
      const late = await created(book(c.token, { service_id: serviceId, start_time: at('12:00', date()) }));
      expect(await refusal(move(c.token, late.id, { new_start_time: at('10:00', date()) }))).toEqual([409, 'APPOINTMENT.FULLY_BOOKED']);
    });
  });

  it('books a service over tRPC as over REST', async () => {
    const staffId = await staff();
    const serviceId = await service([staffId]);
    const { id, token } = await client();
    const caller = createCaller({ services: t.api.services, token });
    const booked = await caller.appointments.create({ service_id: serviceId, start_time: at('17:00') });
    expect(booked).toMatchObject({ client_id: id, staff_id: staffId, end_time: new Date(at('17:45')).toISOString() });
    await expect(caller.appointments.create({ service_id: serviceId, start_time: at('17:00') })).rejects.toMatchObject({ cause: { code: 'APPOINTMENT.SLOT_TAKEN' } });
  });
});
