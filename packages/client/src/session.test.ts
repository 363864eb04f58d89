import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApiProcess, type RunningApi } from '@appointments/testkit/api';
import { AppointmentsHttpError, createAppointmentsSession, errorCode, errorStatus, type AppointmentsSession } from './index.ts';

const password = 'correct-horse-1';
const DAY = '2030-01-07';
const at = (time: string) => `${DAY}T${time}:00.000Z`;

/** Runs the call and returns what it threw; fails if it did not throw. */
async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (value) => expect.unreachable(`expected a failure, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

describe('session helpers against a real API', () => {
  let t: RunningApi;
  let staffId: number;
  const requests: { url: string; headers: Headers }[] = [];
  /** A session whose fetch is recorded, to see what the helpers send. */
  const session = (token?: string) =>
    createAppointmentsSession({
      baseUrl: `${t.url}/`,
      ...(token && { token }),
      fetch: (input, init) => {
        requests.push({ url: String(input), headers: new Headers(init?.headers) });
        return fetch(input, init);
      },
    });
  const signUp = async (email: string): Promise<AppointmentsSession> => {
    const s = session();
    await s.client.auth.register.mutate({ email, full_name: 'Ses Sion', password });
    await s.login(email, password);
    return s;
  };

  beforeAll(async () => {
    t = await startApiProcess('sqlite');
    const admin = session();
    await admin.login(ADMIN.email, ADMIN.password);
    const staff = await admin.client.auth.register.mutate({ email: 'session-staff@example.com', full_name: 'Staff', password, role: 'staff', timezone: 'UTC' });
    staffId = staff.id;
    await admin.client.staff.settings.update.mutate({ staff_id: staffId, max_advance_days: 3650 });
    await admin.client.availability.create.mutate({ staff_id: staffId, specific_date: DAY, start_time: '09:00:00', end_time: '17:00:00' });
  });
  afterAll(() => t?.close());

  it('keeps the token from login, resumes from a stored token, and forgets it on logout', async () => {
    const s = session();
    await s.client.auth.register.mutate({ email: 'keeper@example.com', full_name: 'Keeper', password });
    expect(s.token).toBeUndefined();
    const anonymous = await failure(s.client.auth.me.query());
    expect([errorCode(anonymous), errorStatus(anonymous)]).toEqual(['AUTH.NOT_AUTHENTICATED', 401]);

    const login = await s.login('keeper@example.com', password);
    expect(s.token).toBe(login.access_token);
    expect((await s.client.auth.me.query()).email).toBe('keeper@example.com');
    const resumed = session(s.token);
    expect((await resumed.client.auth.me.query()).email).toBe('keeper@example.com');

    await s.logout();
    expect(s.token).toBeUndefined();
    // The server revoked it too: the resumed copy of the same token stops working.
    expect(errorStatus(await failure(resumed.client.auth.me.query()))).toBe(401);
  });

  it('books once per idempotency key, sending it as a header; a taken slot is APPOINTMENT.SLOT_TAKEN / 409', async () => {
    const s = await signUp('booker@example.com');
    const input = { staff_id: staffId, start_time: at('09:00'), end_time: at('10:00') };
    requests.length = 0;
    const first = await s.book(input, { idempotencyKey: 'session-key-1' });
    const retry = await s.book(input, { idempotencyKey: 'session-key-1' });
    expect(retry).toEqual(first);
    expect(first).toMatchObject({ status: 'scheduled', staff_id: staffId, start_time: at('09:00') });
    expect(requests.map((r) => r.headers.get('idempotency-key'))).toEqual(['session-key-1', 'session-key-1']);

    const taken = await failure(s.book(input));
    expect([errorCode(taken), errorStatus(taken)]).toEqual(['APPOINTMENT.SLOT_TAKEN', 409]);
    expect(requests.at(-1)?.headers.has('idempotency-key')).toBe(false);
  });

  it('reschedules and cancels with reasons that reach the history', async () => {
    const s = await signUp('mover@example.com');
    const booked = await s.book({ staff_id: staffId, start_time: at('11:00'), end_time: at('12:00') });
    const moved = await s.reschedule(booked.id, at('13:00'), at('14:00'), 'clash');
    expect(moved).toMatchObject({ id: booked.id, start_time: at('13:00'), end_time: at('14:00'), status: 'scheduled' });
    expect(moved.sequence).toBeGreaterThan(booked.sequence);

    const cancelled = await s.cancel(booked.id, 'ill');
    expect(cancelled).toMatchObject({ id: booked.id, status: 'cancelled' });
    const history = await s.client.appointments.history.query({ id: booked.id });
    expect(history.map((event) => event.reason).filter(Boolean)).toEqual(['clash', 'ill']);
    // Without a reason, none is sent (the schema's optional field, not an empty string).
    const other = await s.book({ staff_id: staffId, start_time: at('15:00'), end_time: at('16:00') });
    await s.cancel(other.id);
    expect((await s.client.appointments.history.query({ id: other.id })).map((event) => event.reason)).toEqual([null, null]);
  });

  it('downloads .ics text with the bearer token, under the base URL', async () => {
    const s = await signUp('ics@example.com');
    const booked = await s.book({ staff_id: staffId, start_time: at('10:00'), end_time: at('11:00') });
    requests.length = 0;
    const ics = await s.downloadIcs(booked.id);
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('\r\nDTSTART:20300107T100000Z\r\n');
    expect(requests.map((r) => r.url)).toEqual([`${t.url}/api/v1/appointments/${booked.id}/export.ics`]);
    expect(requests[0]?.headers.get('authorization')).toBe(`Bearer ${s.token}`);
  });

  it('turns a refused download into AppointmentsHttpError with the code and status', async () => {
    const owner = await signUp('owner@example.com');
    const booked = await owner.book({ staff_id: staffId, start_time: at('12:00'), end_time: at('13:00') });

    const stranger = await failure((await signUp('stranger@example.com')).downloadIcs(booked.id));
    expect(stranger).toBeInstanceOf(AppointmentsHttpError);
    expect([errorCode(stranger), errorStatus(stranger)]).toEqual(['APPOINTMENT.NOT_FOUND', 404]);

    const anonymous = await failure(session().downloadIcs(booked.id));
    expect([errorCode(anonymous), errorStatus(anonymous)]).toEqual(['AUTH.NOT_AUTHENTICATED', 401]);
    expect((anonymous as Error).message).toMatch(/auth/i);
  });

  it('keeps the status but no code when the error body is not the API’s (e.g. a proxy page)', async () => {
    const behindProxy = createAppointmentsSession({
      baseUrl: t.url,
      fetch: async () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
    });
    const error = await failure(behindProxy.downloadIcs(1));
    expect(error).toBeInstanceOf(AppointmentsHttpError);
    expect([errorCode(error), errorStatus(error), (error as Error).message]).toEqual([undefined, 502, 'HTTP 502']);
  });

  it('gives neither code nor status for errors that never reached the server', async () => {
    const unreachable = createAppointmentsSession({ baseUrl: 'http://127.0.0.1:9' });
    for (const error of [await failure(unreachable.client.auth.me.query()), await failure(unreachable.downloadIcs(1)), new Error('plain')]) {
      expect([errorCode(error), errorStatus(error)]).toEqual([undefined, undefined]);
    }
  });
});
