import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate, type User } from '@appointments/domain';
import { createCaller } from '../routers/caller.ts';
import { bookOverRest, startApiPair, type TestApi } from '@appointments/testkit/api';
import { KeptSessions, MAX_KEPT_SESSIONS } from './kept-sessions.ts';
import { createServer, type ApiServer } from '../server.ts';
import { parseEnv } from '../env.ts';

const password = 'correct-horse-1';

/**
 * A booking doesn't read its session again once this process has validated it (kept-sessions.ts).
 * These revoke the session and change its user from a second API process on the same database,
 * then book through the first: a kept session must never book for what a fresh one would refuse.
 */
describe.each(['sqlite', 'postgresql'] as const)('bookings on a kept session on %s', (dialect) => {
  let a: TestApi<ApiServer>;
  let b: TestApi<ApiServer>; // a second API process on the same database
  let admin: string;
  let staffId: number;
  let clientId: number;
  let day: string;
  let slot = 0;
  const caller = (t: TestApi<ApiServer>, token?: string) => createCaller({ services: t.api.services, token });
  const login = async () => (await caller(a).auth.login({ username: 'kept-session@example.com', password })).access_token;
  /** POST /api/v1/appointments through `a`: 'booked', or the error body's code. */
  const post = (token: string, body: unknown, idempotencyKey?: string) => bookOverRest(a, token, body, idempotencyKey);
  const halfHour = (n: number) => {
    const start = Date.parse(`${day}T09:00:00Z`) + n * 1_800_000;
    return { staff_id: staffId, start_time: new Date(start).toISOString(), end_time: new Date(start + 1_800_000).toISOString() };
  };
  /** Books the next free half hour (or, with a key, always the same one). */
  const book = (token: string, idempotencyKey?: string) => post(token, halfHour(idempotencyKey ? 0 : ++slot), idempotencyKey);
  const booked = async () => (await caller(a, admin).appointments.list({ staff_id: staffId, limit: 100, offset: 0 })).items.length;
  const setStanding = (user: Partial<Pick<User, 'isBlocked'>>) =>
    b.api.services.db.fork().users.setCounters(clientId, { noShowCount: 0, completedCount: 0, isBlocked: user.isBlocked ?? false });

  beforeAll(async () => {
    ({ a, b, admin } = await startApiPair({ createServer, parseEnv }, dialect));
    staffId = (await caller(a, admin).auth.register({ email: 'kept-session-staff@example.com', full_name: 'Staff', password, role: 'staff', timezone: 'UTC' })).id;
    clientId = (await caller(a, admin).auth.register({ email: 'kept-session@example.com', full_name: 'Client', password, role: 'client', timezone: 'UTC' })).id;
    day = addDays(localDate(Date.now(), 'UTC'), 3);
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
    await caller(a, admin).availability.create({ staff_id: staffId, day_of_week: weekday, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a session revoked elsewhere books nothing, with or without an Idempotency-Key', async () => {
    const token = await login();
    expect(await book(token, 'same-request')).toBe('booked'); // stored for replay
    expect(await book(token)).toBe('booked'); // validated and kept by `a`
    expect(await post(token, halfHour(slot))).toBe('APPOINTMENT.SLOT_TAKEN'); // a refusal on a kept session that holds
    await caller(b, token).auth.logout();
    const before = await booked();
    // Bad input on the kept session is answered only once the session is validated: it isn't.
    expect(await post(token, { ...halfHour(++slot), staff_id: 'x' })).toBe('AUTH.NOT_AUTHENTICATED');
    expect(await post('not-a-token', { ...halfHour(++slot), staff_id: 'x' })).toBe('AUTH.NOT_AUTHENTICATED');
    expect(await book(token)).toBe('AUTH.NOT_AUTHENTICATED');
    // A replay would answer 201 with the stored booking: it must not, on a revoked session.
    expect(await book(token, 'same-request')).toBe('AUTH.NOT_AUTHENTICATED');
    expect(await booked()).toBe(before);
  });

  it("follows the user's standing and role as changed elsewhere", async () => {
    const token = await login();
    expect(await book(token)).toBe('booked');
    await setStanding({ isBlocked: true });
    expect(await book(token)).toBe('APPOINTMENT.CLIENT_BLOCKED');
    await setStanding({ isBlocked: false });
    expect(await book(token)).toBe('booked');

    // Now staff: booking for themselves is no longer what this user may do.
    await caller(b, admin).users.update({ id: clientId, role: 'staff' });
    const asStaff = await book(token);
    await caller(b, admin).users.update({ id: clientId, role: 'client' });
    expect(asStaff).not.toBe('booked');
    expect(await book(token)).toBe('booked');

    const before = await booked();
    await caller(b, admin).users.update({ id: clientId, is_active: false }); // revokes the sessions too
    expect(await book(token)).toBe('AUTH.NOT_AUTHENTICATED');
    expect(await booked()).toBe(before);
    await caller(b, admin).users.update({ id: clientId, is_active: true });
    expect(await book(await login())).toBe('booked');
  });
});

describe('the kept sessions', () => {
  const lifetime = 8 * 86_400_000;
  const kept = (id: string, expiresAt: number) => ({
    user: { id: 1, email: 'a@example.com', fullName: 'A', role: 'client', isActive: true, timezone: 'UTC', locale: null, emailVerified: false, noShowCount: 0, completedCount: 0, isBlocked: false, createdAt: new Date(0) },
    session: { id, userId: 1, expiresAt: new Date(expiresAt) },
  }) as const;

  it('give a session only while it needs no sliding forward, and forget it after', () => {
    const sessions = new KeptSessions();
    const now = Date.parse('2030-01-01T00:00:00Z');
    sessions.keep(kept('s', now + lifetime));
    expect(sessions.get('s', new Date(now), lifetime)?.session.id).toBe('s');
    expect(sessions.get('s', new Date(now + lifetime / 2 - 1), lifetime)?.session.id).toBe('s');
    // In its second half a fresh validation slides it forward; kept, it would not be.
    expect(sessions.get('s', new Date(now + lifetime / 2 + 1), lifetime)).toBeUndefined();
    expect(sessions.get('s', new Date(now), lifetime)).toBeUndefined();
    sessions.keep(kept('t', now + lifetime));
    sessions.forget('t');
    expect(sessions.get('t', new Date(now), lifetime)).toBeUndefined();
  });

  it(`hold at most ${MAX_KEPT_SESSIONS} sessions, dropping the least recently used`, () => {
    const sessions = new KeptSessions();
    const expiresAt = Date.now() + 86_400_000;
    const get = (i: number) => sessions.get(`s${i}`, new Date(), 86_400_000);
    for (let i = 0; i < MAX_KEPT_SESSIONS; i++) sessions.keep(kept(`s${i}`, expiresAt));
    sessions.keep(kept('s0', expiresAt)); // kept already: nothing to make room for
    expect(get(0)).toBeDefined();
    expect(get(1)).toBeDefined();
    sessions.keep(kept(`s${MAX_KEPT_SESSIONS}`, expiresAt)); // s2, the least recently used, makes room
    expect(get(2)).toBeUndefined();
    for (const i of [0, 1, 3, MAX_KEPT_SESSIONS - 1, MAX_KEPT_SESSIONS]) expect(get(i), `s${i}`).toBeDefined();
  });
});
