import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, login, rest, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const PASSWORD = 'manage-links-1';
const HOUR = 3_600_000;
const PUBLIC_URL = 'https://api.clinic.example';

/** The domain error's code behind a tRPC caller's error. */
const code = (error: unknown) => (error as { cause?: { code?: string } }).cause?.code;

describe.each(['sqlite', 'postgresql'] as const)('manage links on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};
  let serviceId = 0;
  // Whole hours, days ahead: far outside the cancellation window; each test takes its own hours.
  const base = Math.ceil(Date.now() / HOUR) * HOUR + 72 * HOUR;
  let hour = 0;
  const nextHour = () => base + hour++ * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();

  const call = (method: string, path: string, json?: unknown, token?: string) => rest(t.url, method, path, { ...(json !== undefined && { json }), ...(token && { token }) });
  const linkFor = (appointment: { id: number; sequence: number }) => t.api.services.manageTokens.issue({ appointmentId: appointment.id, sequence: appointment.sequence });
  const manage = (token: string, action: '' | '/cancel' | '/reschedule' = '', json?: unknown) =>
    call(action ? 'POST' : 'GET', `/api/v1/manage/${encodeURIComponent(token)}${action}`, action ? (json ?? {}) : undefined);
  async function book(client: string, start: number, extra: object = { staff_id: ids.staff, end_time: iso(start + HOUR) }) {
    const { status, body } = await call('POST', '/api/v1/appointments', { start_time: iso(start), ...extra }, tokens[client]);
    expect(status, JSON.stringify(body)).toBe(201);
    return body as { id: number; sequence: number; staff_id: number };
  }

  beforeAll(async () => {
    // Room for the forged-token cases from this one address (40 unknown tokens per window).
    t = await startTestApi({ createServer, parseEnv }, dialect, { PUBLIC_URL: `${PUBLIC_URL}/`, LOGIN_MAX_FAILURES: '10' });
    tokens.admin = await login(t.url, ADMIN.email, ADMIN.password);
    for (const [name, role] of [['staff', 'staff'], ['otherStaff', 'staff'], ['client', 'client'], ['otherClient', 'client']] as const) {
      const { body } = await call('POST', '/api/v1/auth/register', { email: `${name}@manage.test`, full_name: `The ${name}`, password: PASSWORD, role, timezone: 'UTC' }, tokens.admin);
      ids[name] = body.id as number;
      tokens[name] = await login(t.url, `${name}@manage.test`, PASSWORD);
      if (role === 'staff') {
        for (let day = 0; day < 7; day++) {
          await call('POST', '/api/v1/availability', { staff_id: ids[name], day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true }, tokens.admin);
        }
      }
    }
    const { body } = await call('POST', '/api/v1/services', { name: 'Check-up', duration_minutes: 30, currency: 'EUR', staff_ids: [ids.staff, ids.otherStaff] }, tokens.admin);
    serviceId = body.id as number;
  });
  afterAll(() => t?.close());

  it('shows the appointment as its client sees it, over REST and tRPC, without a login', async () => {
    const booked = await book('client', nextHour());
    const token = linkFor(booked);
    const shown = await manage(token);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual((await call('GET', `/api/v1/appointments/${booked.id}`, undefined, tokens.client)).body);
    expect(await createCaller({ services: t.api.services }).manage.get({ token })).toEqual(shown.body);
  });

  it('reschedules and cancels as the client; each change retires the link it came through (410), the new version gets a new one', async () => {
    const booked = await book('client', nextHour());
    const first = linkFor(booked);
    const start = nextHour();
    const moved = await manage(first, '/reschedule', { new_start_time: iso(start), new_end_time: iso(start + HOUR) });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ id: booked.id, sequence: 1, start_time: iso(start), staff_id: ids.staff, status: 'scheduled' });
    expect(moved.body).toEqual((await manage(linkFor({ id: booked.id, sequence: 1 }))).body);

    for (const action of ['', '/cancel', '/reschedule'] as const) {
      const stale = await manage(first, action, action === '/reschedule' ? { new_start_time: iso(nextHour()) } : undefined);
      expect({ status: stale.status, code: stale.body.code }, action).toEqual({ status: 410, code: 'MANAGE.LINK_EXPIRED' });
    }
    // Over tRPC the status travels in the error's data, and on the HTTP answer.
    const overTrpc = await fetch(`${t.url}/trpc/manage.get?input=${encodeURIComponent(JSON.stringify({ token: first }))}`);
    expect(overTrpc.status).toBe(410);
    expect(((await overTrpc.json()) as { error: { data: { code: string; httpStatus: number } } }).error.data).toMatchObject({ code: 'MANAGE.LINK_EXPIRED', httpStatus: 410 });

    const second = linkFor({ id: booked.id, sequence: 1 });
    const cancelled = await manage(second, '/cancel', { reason: 'Feeling better' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ id: booked.id, status: 'cancelled', sequence: 2 });
    expect((await manage(second, '/cancel')).status).toBe(410);
    const again = await manage(linkFor({ id: booked.id, sequence: 2 }), '/cancel');
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'APPOINTMENT.NOT_SCHEDULED' });

    // History names the client as who acted, as if they had signed in.
    const history = (await call('GET', `/api/v1/appointments/${booked.id}/history`, undefined, tokens.client)).body as unknown as { action: string; actor_id: number; reason: string | null }[];
    expect(history.map((entry) => [entry.action, entry.actor_id, entry.reason])).toEqual([
      ['booked', ids.client, null],
      ['rescheduled', ids.client, null],
      ['cancelled', ids.client, 'Feeling better'],
    ]);
  });

  it('retires a link after a change made elsewhere, by the staff member', async () => {
    const booked = await book('client', nextHour());
    const token = linkFor(booked);
    expect((await call('PATCH', `/api/v1/appointments/${booked.id}`, { notes: 'Bring the X-rays' }, tokens.staff)).status).toBe(200);
    expect(await manage(token)).toMatchObject({ status: 410, body: { code: 'MANAGE.LINK_EXPIRED' } });
    await expect(createCaller({ services: t.api.services }).manage.cancel({ token })).rejects.toSatisfy((error) => code(error) === 'MANAGE.LINK_EXPIRED');
    expect((await call('GET', `/api/v1/appointments/${booked.id}`, undefined, tokens.client)).body.status).toBe('scheduled');
  });

  it('answers a forged, altered or garbage token 404, alike, revealing nothing, on every route', async () => {
    const booked = await book('otherClient', nextHour());
    const real = linkFor(booked);
    const mac = real.split('.')[2]!;
    const forged = [
      `${booked.id}.${booked.sequence}.${'A'.repeat(32)}`,
      `${booked.id}.${booked.sequence + 1}.${mac}`,
      `2000000000.0.${mac}`,
      `${booked.id + 1}.0.${mac}`,
      'garbage',
      "' OR 1=1 --",
    ];
    for (const token of forged) {
      for (const action of ['', '/cancel', '/reschedule'] as const) {
        const answer = await manage(token, action, action === '/reschedule' ? { new_start_time: iso(nextHour()), new_end_time: iso(nextHour()) } : undefined);
        expect({ status: answer.status, body: answer.body }, `${action} ${token}`).toEqual({ status: 404, body: { code: 'MANAGE.NOT_FOUND', message: 'No such manage link' } });
      }
    }
    expect((await call('GET', `/api/v1/appointments/${booked.id}`, undefined, tokens.otherClient)).body).toMatchObject({ status: 'scheduled', sequence: 0 });
  });

  it('holds the client to the cancellation window (409), as when signed in', async () => {
    // Starts in an hour (on a whole minute): inside the default two-hour window.
    const soon = Math.ceil((Date.now() + HOUR) / 60_000) * 60_000;
    const booked = await book('client', soon);
    const refused = await manage(linkFor(booked), '/cancel');
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'APPOINTMENT.WITHIN_CANCELLATION_WINDOW' });
    const moved = await manage(linkFor(booked), '/reschedule', { new_start_time: iso(nextHour()), new_end_time: iso(nextHour()) });
    expect(moved.body.code).toBe('APPOINTMENT.WITHIN_CANCELLATION_WINDOW');
    // Cancellations late by the clock passed in are refused the same way over tRPC.
    const start = nextHour();
    const later = await book('client', start);
    await expect(createCaller({ services: t.api.services, now: new Date(start - HOUR) }).manage.cancel({ token: linkFor(later) })).rejects.toSatisfy(
      (error) => code(error) === 'APPOINTMENT.WITHIN_CANCELLATION_WINDOW',
    );
  });

  it('refuses a taken time (409) and keeps the staff member, where a signed-in move would hand a service to another', async () => {
    const taken = nextHour();
    await book('otherClient', taken);
    const booked = await book('client', nextHour());
    const refused = await manage(linkFor(booked), '/reschedule', { new_start_time: iso(taken), new_end_time: iso(taken + HOUR) });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'APPOINTMENT.SLOT_TAKEN' });

    // A service both staff members offer: its own staff member is busy at the new time, the other is free.
    const busy = nextHour();
    await book('otherClient', busy);
    const checkUp = await book('client', nextHour(), { service_id: serviceId, staff_id: ids.staff });
    const viaLink = await manage(linkFor(checkUp), '/reschedule', { new_start_time: iso(busy) });
    expect({ status: viaLink.status, code: viaLink.body.code }).toEqual({ status: 409, code: 'APPOINTMENT.SLOT_TAKEN' });
    const signedIn = await call('POST', `/api/v1/appointments/${checkUp.id}/reschedule`, { new_start_time: iso(busy) }, tokens.client);
    expect(signedIn.body).toMatchObject({ staff_id: ids.otherStaff });

    // The end may be left out for a service: it lasts its duration.
    const free = nextHour();
    const moved = await manage(linkFor(signedIn.body as { id: number; sequence: number }), '/reschedule', { new_start_time: iso(free) });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ staff_id: ids.otherStaff, start_time: iso(free), end_time: iso(free + 30 * 60_000) });
  });

  it("refuses a deactivated client's links", async () => {
    const { body } = await call('POST', '/api/v1/auth/register', { email: 'leaving@manage.test', full_name: 'Leaving', password: PASSWORD }, tokens.admin);
    const leaving = await login(t.url, 'leaving@manage.test', PASSWORD);
    tokens.leaving = leaving;
    const booked = await book('leaving', nextHour());
    await call('PATCH', `/api/v1/users/${body.id as number}`, { is_active: false }, tokens.admin);
    expect(await manage(linkFor(booked))).toMatchObject({ status: 403, body: { code: 'AUTH.INACTIVE_USER' } });
  });

  it('counts unknown tokens per address and makes guessing wait (429), while real links still open', async () => {
    const guesser = createCaller({ services: t.api.services, clientAddress: '203.0.113.77' });
    const { maxAttempts } = t.api.services.settings.limits.manageLinks;
    for (let i = 0; i < maxAttempts; i++) await expect(guesser.manage.get({ token: `1.0.${String(i).padStart(32, 'x')}` })).rejects.toSatisfy((error) => code(error) === 'MANAGE.NOT_FOUND');
    await expect(guesser.manage.get({ token: 'one more' })).rejects.toSatisfy((error) => code(error) === 'AUTH.TOO_MANY_ATTEMPTS');
    const booked = await book('client', nextHour());
    expect(await guesser.manage.get({ token: linkFor(booked) })).toMatchObject({ id: booked.id });
    // Another address is not held up.
    await expect(createCaller({ services: t.api.services, clientAddress: '203.0.113.78' }).manage.get({ token: 'nope' })).rejects.toSatisfy((error) => code(error) === 'MANAGE.NOT_FOUND');
  });

  it('makes feed paths absolute with PUBLIC_URL (feed_url)', async () => {
    const created = await call('POST', '/api/v1/calendar/feeds', { name: 'Phone' }, tokens.client);
    expect(created.body.feed_url).toBe(`${PUBLIC_URL}${created.body.feed_path as string}`);
  });
});
