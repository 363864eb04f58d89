import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, login, restCall, setUpAllDayStaff, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const HOUR = 3_600_000;
const password = 'correct-horse-1';
const TRANSPORTS = ['REST', 'tRPC'] as const;
type Transport = (typeof TRANSPORTS)[number];

interface Answer {
  readonly status: number;
  /** The appointment when booked, else undefined. */
  readonly booked?: { id: number; client_id: number; staff_id: number; start_time: string };
  readonly code?: string;
  readonly retryAfter: string | null;
}

/** POST /api/v1/appointments, or appointments.create over tRPC, as `token` (none: anonymous); the answer in one shape. */
async function book(url: string, transport: Transport, json: unknown, token?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const path = transport === 'REST' ? '/api/v1/appointments' : '/trpc/appointments.create';
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...headers },
    body: JSON.stringify(json),
  });
  const body = (await res.json()) as Record<string, unknown> & { result?: { data: Answer['booked'] }; error?: { data: { code: string } } };
  const retryAfter = res.headers.get('retry-after');
  if (res.ok) return { status: res.status, booked: transport === 'REST' ? (body as Answer['booked']) : body.result!.data, retryAfter };
  return { status: res.status, code: transport === 'REST' ? (body.code as string) : body.error!.data.code, retryAfter };
}

describe.each(['sqlite', 'postgresql'] as const)('guest booking on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let setup: Awaited<ReturnType<typeof setUpAllDayStaff>>;
  let hour = 0;
  const repos = () => t.api.services.db.fork();
  /** A fresh whole hour for each booking, so none overlap. */
  const slot = () => {
    const start = setup.next + hour++ * HOUR;
    return { staff_id: setup.staffId, start_time: new Date(start).toISOString(), end_time: new Date(start + HOUR).toISOString() };
  };
  const guest = (email: string, extra: object = {}) => ({ email, full_name: 'Gina Guest', ...extra });

  beforeAll(async () => {
    // Every refused attempt counts too; the limit has tests of its own below.
    t = await startTestApi({ createServer, parseEnv }, dialect, { GUEST_BOOKINGS_PER_HOUR: '1000' });
    setup = await setUpAllDayStaff(t, password);
  });
  afterAll(() => t?.close());

  describe.each(TRANSPORTS)('over %s', (transport) => {
    const email = `guest-${transport.toLowerCase()}@example.com`;

    it('books as a new passwordless client made from the guest details, who cannot log in', async () => {
      const answer = await book(t.url, transport, { ...slot(), notes: 'First visit', guest: guest(` ${email.toUpperCase()} `, { timezone: 'Europe/Berlin', locale: 'de-de' }) });
      expect(answer.status).toBe(transport === 'REST' ? 201 : 200);
      const client = await repos().users.findByEmail(email);
      expect(client).toMatchObject({ role: 'client', fullName: 'Gina Guest', timezone: 'Europe/Berlin', locale: 'de-DE', isActive: true, isBlocked: false });
      expect(answer.booked).toMatchObject({ client_id: client!.id, staff_id: setup.staffId });
      expect(await repos().users.passwordHash(client!.id)).toBeNull();
      await expect(login(t.url, email, password)).rejects.toThrow(/401/);
    });

    it('books again with the same email as the same client, whose details the request does not change', async () => {
      const before = await repos().users.findByEmail(email);
      const answer = await book(t.url, transport, { ...slot(), guest: guest(email, { full_name: 'Someone Else', timezone: 'Asia/Tokyo', locale: 'en' }) });
      expect(answer.booked?.client_id).toBe(before!.id);
      expect(await repos().users.findByEmail(email)).toEqual(before);
    });

    it('defaults a new guest to DEFAULT_TIMEZONE and DEFAULT_LOCALE', async () => {
      const answer = await book(t.url, transport, { ...slot(), guest: guest(`plain-${email}`) });
      expect(answer.booked).toBeDefined();
      expect(await repos().users.findByEmail(`plain-${email}`)).toMatchObject({ id: answer.booked!.client_id, timezone: 'UTC', locale: null });
    });

    it("refuses a staff member's or an admin's email as registration does (409 USER.EMAIL_TAKEN)", async () => {
      for (const taken of ['staff@example.com', ADMIN.email]) {
        expect(await book(t.url, transport, { ...slot(), guest: guest(taken) })).toMatchObject({ status: 409, code: 'USER.EMAIL_TAKEN' });
      }
    });

    it('keeps a blocked client blocked (403 APPOINTMENT.CLIENT_BLOCKED) and a deactivated account out (403 AUTH.INACTIVE_USER)', async () => {
      const blocked = await repos().users.findByEmail('client@example.com');
      await repos().users.update(blocked!.id, { isBlocked: true });
      expect(await book(t.url, transport, { ...slot(), guest: guest('client@example.com') })).toMatchObject({ status: 403, code: 'APPOINTMENT.CLIENT_BLOCKED' });
      await repos().users.update(blocked!.id, { isBlocked: false });

      const gone = `gone-${email}`;
      expect((await book(t.url, transport, { ...slot(), guest: guest(gone) })).booked).toBeDefined();
      await repos().users.update((await repos().users.findByEmail(gone))!.id, { isActive: false });
      expect(await book(t.url, transport, { ...slot(), guest: guest(gone) })).toMatchObject({ status: 403, code: 'AUTH.INACTIVE_USER' });
    });

    it("applies the client's booking rules: availability, overlap, booking for someone else", async () => {
      const start = setup.next - 60 * 24 * HOUR; // in the past
      const past = { staff_id: setup.staffId, start_time: new Date(start).toISOString(), end_time: new Date(start + HOUR).toISOString() };
      expect(await book(t.url, transport, { ...past, guest: guest(email) })).toMatchObject({ status: 422, code: 'APPOINTMENT.TOO_SOON' });
      const taken = slot();
      expect((await book(t.url, transport, { ...taken, guest: guest(email) })).booked).toBeDefined();
      expect(await book(t.url, transport, { ...taken, guest: guest(`other-${email}`) })).toMatchObject({ status: 409, code: 'APPOINTMENT.SLOT_TAKEN' });
      const someoneElse = await repos().users.findByEmail('client@example.com');
      expect(await book(t.url, transport, { ...slot(), client_id: someoneElse!.id, guest: guest(email) })).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
    });

    it('refuses guest details with a token (422), and a request with neither (401)', async () => {
      const answer = await book(t.url, transport, { ...slot(), guest: guest(email) }, setup.client);
      expect(answer).toMatchObject({ status: 422, code: 'VALIDATION.FAILED' });
      expect(await book(t.url, transport, slot())).toMatchObject({ status: 401, code: 'AUTH.NOT_AUTHENTICATED' });
    });

    it('refuses invalid guest details before making any account', async () => {
      for (const bad of [{ email: 'not-an-email', full_name: 'X' }, { email: `bad-${email}` }, { email: `bad-${email}`, full_name: 'X', timezone: 'Mars/Base' }, null]) {
        expect(await book(t.url, transport, { ...slot(), guest: bad })).toMatchObject({ status: 422, code: 'VALIDATION.FAILED' });
      }
      expect(await repos().users.findByEmail(`bad-${email}`)).toBeNull();
    });
  });

  it('replays a guest booking sent again with the same Idempotency-Key', async () => {
    const json = { ...slot(), guest: guest('idempotent@example.com') };
    const first = await book(t.url, 'REST', json, undefined, { 'idempotency-key': 'guest-key-1' });
    const again = await book(t.url, 'REST', json, undefined, { 'idempotency-key': 'guest-key-1' });
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
  });
});

describe.each(['sqlite', 'postgresql'] as const)('guest booking settings on %s', (dialect) => {
  let a: TestApi<ApiServer>;
  let b: TestApi<ApiServer>;
  let off: TestApi<ApiServer>;
  let setup: Awaited<ReturnType<typeof setUpAllDayStaff>>;
  let hour = 0;
  const slot = () => {
    const start = setup.next + hour++ * HOUR;
    return { staff_id: setup.staffId, start_time: new Date(start).toISOString(), end_time: new Date(start + HOUR).toISOString() };
  };

  beforeAll(async () => {
    // Two API processes on one database, as two deployments behind a load balancer, and a third that takes no guests.
    a = await startTestApi({ createServer, parseEnv }, dialect, { GUEST_BOOKINGS_PER_HOUR: '3' });
    b = await startTestApi({ createServer, parseEnv }, dialect, { GUEST_BOOKINGS_PER_HOUR: '3', DATABASE_URL: a.databaseUrl });
    off = await startTestApi({ createServer, parseEnv }, dialect, { GUEST_BOOKING: 'false', DATABASE_URL: a.databaseUrl });
    setup = await setUpAllDayStaff(a, password);
  });
  afterAll(async () => {
    await off?.close();
    await b?.close();
    await a?.close();
  });

  it('answers 401 to a guest when GUEST_BOOKING is false, over REST and tRPC, as to any request without a token', async () => {
    for (const transport of TRANSPORTS) {
      expect(await book(off.url, transport, { ...slot(), guest: { email: 'nope@example.com', full_name: 'No Pe' } })).toMatchObject({ status: 401, code: 'AUTH.NOT_AUTHENTICATED' });
    }
    expect(await a.api.services.db.fork().users.findByEmail('nope@example.com')).toBeNull();
  });

  it('limits guest bookings per address across API processes: 429 with Retry-After past GUEST_BOOKINGS_PER_HOUR', async () => {
    const attempt = (url: string, transport: Transport, i: number) => book(url, transport, { ...slot(), guest: { email: `many${i}@example.com`, full_name: 'Many' } });
    expect((await attempt(a.url, 'REST', 1)).status).toBe(201);
    expect((await attempt(b.url, 'tRPC', 2)).status).toBe(200);
    expect((await attempt(a.url, 'tRPC', 3)).status).toBe(200);
    for (const [url, transport] of [[b.url, 'REST'], [a.url, 'tRPC']] as const) {
      const refused = await attempt(url, transport, 4);
      expect(refused).toMatchObject({ status: 429, code: 'AUTH.TOO_MANY_ATTEMPTS' });
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
    expect(await a.api.services.db.fork().users.findByEmail('many4@example.com')).toBeNull();
    // Signed-in clients are not counted.
    expect(await restCall(a.url, setup.client, 'POST', '/api/v1/appointments', slot())).toMatchObject({ status: 'scheduled' });
  });
});
