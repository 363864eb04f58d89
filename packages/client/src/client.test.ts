import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, parseDatabaseUrl } from '@appointments/db';
import { manageTokens } from '@appointments/runtime';
import { ADMIN, login, startApiProcess, type RunningApi } from '@appointments/testkit/api';
import { createAppointmentsClient, errorCode, errorStatus, isAppointmentsError, TRPCClientError, type AppointmentsClient } from './index.ts';

const password = 'correct-horse-1';

/** Runs the call and returns what it threw; fails if it did not throw. */
async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (value) => expect.unreachable(`expected a failure, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

describe.each(['sqlite', 'postgresql'] as const)('client against a real API on %s', (dialect) => {
  let t: RunningApi;
  let anonymous: AppointmentsClient;
  let admin: AppointmentsClient;
  const as = (token: string) => createAppointmentsClient({ baseUrl: t.url, token });

  beforeAll(async () => {
    t = await startApiProcess(dialect);
    anonymous = createAppointmentsClient({ baseUrl: t.url });
    admin = as(await login(t.url, ADMIN.email, ADMIN.password));
  });
  afterAll(() => t?.close());

  const signUp = async (email: string) => {
    const user = await anonymous.auth.register.mutate({ email, full_name: 'Cli Ent', password });
    const { access_token } = await anonymous.auth.login.mutate({ username: email, password });
    return { user, token: access_token };
  };

  it('logs in naming the account `email` (the input type has it from the schema)', async () => {
    const user = await anonymous.auth.register.mutate({ email: 'typed-alias@example.com', full_name: 'Alias User', password });
    const token = await anonymous.auth.login.mutate({ email: 'typed-alias@example.com', password });
    expect(await as(token.access_token).auth.me.query()).toEqual(user);
  });

  it('registers, logs in, reads me, logs out; the token then stops working', async () => {
    const user = await anonymous.auth.register.mutate({ email: 'Flow@Example.com', full_name: 'Flow User', password });
    expect(user).toMatchObject({ email: 'flow@example.com', role: 'client', is_blocked: false });

    const token = await anonymous.auth.login.mutate({ username: 'flow@example.com', password });
    expect(token.token_type).toBe('bearer');

    const me = as(token.access_token);
    expect(await me.auth.me.query()).toEqual(user);
    await me.auth.logout.mutate();
    const error = await failure(me.auth.me.query());
    expect(errorCode(error)).toBe('AUTH.NOT_AUTHENTICATED');
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(isAppointmentsError(error) && error.data?.httpStatus).toBe(401);
  });

  it('asks a token function before every request, so a new token is picked up', async () => {
    const { token } = await signUp('rotating@example.com');
    const session: { token?: string } = {};
    const client = createAppointmentsClient({ baseUrl: `${t.url}/`, token: async () => session.token });
    expect(errorCode(await failure(client.auth.me.query()))).toBe('AUTH.NOT_AUTHENTICATED');
    session.token = token;
    expect((await client.auth.me.query()).email).toBe('rotating@example.com');
  });

  it('uses the given fetch and batches calls made together into one request', async () => {
    const urls: string[] = [];
    const client = createAppointmentsClient({
      baseUrl: t.url,
      token: await login(t.url, ADMIN.email, ADMIN.password),
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    const [me, page] = await Promise.all([client.auth.me.query(), client.users.list.query({ limit: 1 })]);
    expect(me.role).toBe('admin');
    expect(page.items).toHaveLength(1);
    // One request for both calls: the batch link is in use, under baseUrl + /trpc.
    expect(urls).toEqual([expect.stringMatching(/^http:\/\/[^/]+\/trpc\/auth\.me,users\.list\?batch=1/)]);
    expect(urls[0]?.startsWith(t.url)).toBe(true);
  });

  it('lets an admin register staff; anybody else gets AUTH.ROLE_REQUIRES_ADMIN', async () => {
    const staff = await admin.auth.register.mutate({ email: 'staff@example.com', full_name: 'Staff Member', password, role: 'staff' });
    expect(staff.role).toBe('staff');
    const error = await failure(anonymous.auth.register.mutate({ email: 'sneaky@example.com', full_name: 'Sneaky', password, role: 'staff' }));
    expect(errorCode(error)).toBe('AUTH.ROLE_REQUIRES_ADMIN');
  });

  it('lists users for an admin and refuses a client with AUTH.FORBIDDEN', async () => {
    const { token } = await signUp('lister@example.com');
    const page = await admin.users.list.query({ skip: 0, limit: 200 });
    expect(page).toMatchObject({ skip: 0, limit: 200 });
    expect(page.total).toBe(page.items.length);
    expect(page.items.map((u) => u.email)).toEqual(expect.arrayContaining([ADMIN.email, 'lister@example.com']));

    const error = await failure(as(token).users.list.query({}));
    expect(errorCode(error)).toBe('AUTH.FORBIDDEN');
    expect(isAppointmentsError(error) && error.data?.httpStatus).toBe(403);
  });

  it('lets a user change their own full_name', async () => {
    const { user, token } = await signUp('rename@example.com');
    const updated = await as(token).users.update.mutate({ id: user.id, full_name: 'Renamed Person' });
    expect(updated).toMatchObject({ id: user.id, full_name: 'Renamed Person' });
    expect((await as(token).auth.me.query()).full_name).toBe('Renamed Person');
  });

  it('lets an admin unblock a blocked user', async () => {
    const { user, token } = await signUp('blocked@example.com');
    // No procedure blocks yet (no-shows will); set the flag directly in the database.
    const db = await Database.open(parseDatabaseUrl(t.databaseUrl, '.'), { migrate: false });
    try {
      await db.fork().users.update(user.id, { isBlocked: true });
    } finally {
      await db.close();
    }
    expect((await as(token).auth.me.query()).is_blocked).toBe(true);

    expect(errorCode(await failure(as(token).users.unblock.mutate({ id: user.id })))).toBe('AUTH.FORBIDDEN');
    const unblocked = await admin.users.unblock.mutate({ id: user.id });
    expect(unblocked).toMatchObject({ id: user.id, is_blocked: false });
    expect((await as(token).auth.me.query()).is_blocked).toBe(false);
  });

  it('creates, lists and revokes API keys; a key is a bearer token within its scopes, until revoked', async () => {
    const created = await admin.apiKeys.create.mutate({ name: 'Client sync', scopes: ['users:read'] });
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const listed = (await admin.apiKeys.list.query()).find((key) => key.id === created.id);
    expect(listed).toEqual({ id: created.id, name: 'Client sync', scopes: ['users:read'], prefix: created.prefix, created_at: created.created_at, expires_at: null, last_used_at: null });

    const keyClient = as(created.key);
    expect((await keyClient.users.list.query({ limit: 1 })).items).toHaveLength(1);
    const missing = await failure(keyClient.appointments.list.query({}));
    expect(errorCode(missing)).toBe('AUTH.SCOPE_MISSING');
    expect(isAppointmentsError(missing) && missing.message).toBe('This API key lacks the scope "appointments:read"');
    expect(errorCode(await failure(keyClient.apiKeys.list.query()))).toBe('AUTH.FORBIDDEN');

    await admin.apiKeys.revoke.mutate({ id: created.id });
    expect((await admin.apiKeys.list.query()).map((key) => key.id)).not.toContain(created.id);
    expect(errorCode(await failure(keyClient.users.list.query({ limit: 1 })))).toBe('AUTH.NOT_AUTHENTICATED');
    expect(errorCode(await failure(admin.apiKeys.revoke.mutate({ id: created.id })))).toBe('API_KEY.NOT_FOUND');
  });

  it('reports a duplicate email as USER.EMAIL_TAKEN with status 409', async () => {
    await signUp('twice@example.com');
    const error = await failure(anonymous.auth.register.mutate({ email: 'TWICE@example.com', full_name: 'Again', password }));
    expect(errorCode(error)).toBe('USER.EMAIL_TAKEN');
    expect(isAppointmentsError(error) && error.data?.httpStatus).toBe(409);
  });

  it('reports invalid input as VALIDATION.FAILED, naming the fields', async () => {
    const error = await failure(anonymous.auth.register.mutate({ email: 'not-an-email', full_name: 'Bad Input', password: 'short' }));
    expect(errorCode(error)).toBe('VALIDATION.FAILED');
    expect(isAppointmentsError(error) && error.data?.httpStatus).toBe(422);
    const issues = isAppointmentsError(error) ? (error.data?.issues ?? []) : [];
    expect(issues.map((issue) => issue.path).sort()).toEqual(['email', 'password']);
    expect(issues.find((issue) => issue.path === 'password')?.message).toMatch(/at least 8/);
  });

  it('gives no code for errors that did not come from the server', async () => {
    const unreachable = createAppointmentsClient({ baseUrl: 'http://127.0.0.1:9' });
    const error = await failure(unreachable.auth.me.query());
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(errorCode(error)).toBeUndefined();
    expect(errorCode(new Error('plain'))).toBeUndefined();
  });

  it('schedules end to end: availability, slots, an idempotent booking, listing', async () => {
    const staffUser = await admin.auth.register.mutate({ email: 'client-staff@example.com', full_name: 'Staff', password, role: 'staff', timezone: 'Asia/Kolkata' });
    const staff = as((await anonymous.auth.login.mutate({ username: 'client-staff@example.com', password })).access_token);
    const rule = await staff.availability.create.mutate({ staff_id: staffUser.id, specific_date: '2030-01-07', start_time: '09:00:00', end_time: '12:00:00' });
    expect(rule).toMatchObject({ kind: 'available', is_recurring: false, specific_date: '2030-01-07' });

    const settings = await staff.staff.settings.update.mutate({ staff_id: staffUser.id, max_advance_days: 3650 });
    expect(settings.max_advance_days).toBe(3650);
    const slots = await anonymous.availability.slots.query({ staff_id: staffUser.id, date: '2030-01-07', slot_duration: 60 });
    // Kolkata is UTC+05:30: 09:00 local is 03:30Z.
    expect(slots.map((s) => s.start_time)).toEqual(['2030-01-07T03:30:00.000Z', '2030-01-07T04:30:00.000Z', '2030-01-07T05:30:00.000Z']);

    const { token } = await signUp('client-booker@example.com');
    const booker = as(token);
    const input = { staff_id: staffUser.id, start_time: '2030-01-07T09:00:00', end_time: '2030-01-07T10:00:00' };
    const first = await booker.appointments.create.mutate(input, { context: { idempotencyKey: 'client-retry-1' } });
    const retry = await booker.appointments.create.mutate(input, { context: { idempotencyKey: 'client-retry-1' } });
    expect(retry).toEqual(first);
    expect(first.status).toBe('scheduled');
    expect(errorCode(await failure(booker.appointments.create.mutate(input)))).toBe('APPOINTMENT.SLOT_TAKEN');

    const mine = await booker.appointments.list.query({});
    expect(mine).toEqual({ items: [first], next_cursor: null });
    expect(await booker.appointments.get.query({ id: first.id })).toEqual(first);
    expect((await anonymous.availability.slots.query({ staff_id: staffUser.id, date: '2030-01-07' })).length).toBe(2);
  });
  it('books as a guest without a token (the input type has `guest`); the same email books as the same client; with a token, guest is refused', async () => {
    const staffUser = await admin.auth.register.mutate({ email: 'guest-staff@example.com', full_name: 'Staff', password, role: 'staff', timezone: 'UTC' });
    await admin.availability.create.mutate({ staff_id: staffUser.id, specific_date: '2030-01-09', start_time: '09:00:00', end_time: '12:00:00' });
    await admin.staff.settings.update.mutate({ staff_id: staffUser.id, max_advance_days: 3650 });
    const guest = { email: 'typed-guest@example.com', full_name: 'Typed Guest', locale: 'de' };
    const time = (hour: number) => `2030-01-09T${String(hour).padStart(2, '0')}:00:00`;
    const at = (hour: number) => ({ staff_id: staffUser.id, start_time: time(hour), end_time: time(hour + 1) });
    const first = await anonymous.appointments.create.mutate({ ...at(9), guest });
    const again = await anonymous.appointments.create.mutate({ ...at(10), guest: { ...guest, full_name: 'Renamed' } }, { context: { idempotencyKey: 'guest-1' } });
    expect(first).toMatchObject({ status: 'scheduled', staff_id: staffUser.id });
    expect(again.client_id).toBe(first.client_id);
    const clients = (await admin.users.list.query({ limit: 100 })).items.filter((user) => user.email === guest.email);
    expect(clients).toMatchObject([{ id: first.client_id, role: 'client', full_name: 'Typed Guest', locale: 'de' }]);
    const { token } = await signUp('not-a-guest@example.com');
    const error = await failure(as(token).appointments.create.mutate({ ...at(11), guest }));
    expect(errorCode(error)).toBe('VALIDATION.FAILED');
    expect(isAppointmentsError(error) && error.data?.httpStatus).toBe(422);
  });

  it('books a service with nobody named: the end follows its duration, a staff member who offers it is assigned', async () => {
    const staffUser = await admin.auth.register.mutate({ email: 'service-staff@example.com', full_name: 'Staff', password, role: 'staff', timezone: 'UTC' });
    await admin.availability.create.mutate({ staff_id: staffUser.id, specific_date: '2030-01-08', start_time: '09:00:00', end_time: '12:00:00' });
    await admin.staff.settings.update.mutate({ staff_id: staffUser.id, max_advance_days: 3650 });
    const service = await admin.services.create.mutate({ name: 'Check-up', duration_minutes: 30, currency: 'EUR', staff_ids: [staffUser.id] });
    const booker = as((await signUp('service-booker@example.com')).token);
    const booked = await booker.appointments.create.mutate({ service_id: service.id, start_time: '2030-01-08T09:00:00' });
    expect(booked).toMatchObject({ staff_id: staffUser.id, start_time: '2030-01-08T09:00:00.000Z', end_time: '2030-01-08T09:30:00.000Z' });
    const moved = await booker.appointments.reschedule.mutate({ id: booked.id, new_start_time: '2030-01-08T10:00:00' });
    expect(moved).toMatchObject({ start_time: '2030-01-08T10:00:00.000Z', end_time: '2030-01-08T10:30:00.000Z' });
    expect(errorCode(await failure(booker.appointments.create.mutate({ service_id: service.id, start_time: '2030-01-08T11:00:00', end_time: '2030-01-08T12:00:00' })))).toBe('APPOINTMENT.DURATION_MISMATCH');
  });

  it("opens a manage link without a login: the appointment, a move, and 410 for the link it retired", async () => {
    const staffUser = await admin.auth.register.mutate({ email: 'manage-staff@example.com', full_name: 'Staff', password, role: 'staff', timezone: 'UTC' });
    await admin.availability.create.mutate({ staff_id: staffUser.id, specific_date: '2030-01-09', start_time: '09:00:00', end_time: '12:00:00' });
    await admin.staff.settings.update.mutate({ staff_id: staffUser.id, max_advance_days: 3650 });
    const booked = await as((await signUp('manage-booker@example.com')).token).appointments.create.mutate({ staff_id: staffUser.id, start_time: '2030-01-09T09:00:00', end_time: '2030-01-09T10:00:00' });
    // What the worker puts in the client's email, signed with the key the test API runs with.
    const links = manageTokens('test-secret-key-0123456789');
    const token = links.issue({ appointmentId: booked.id, sequence: booked.sequence });
    expect(await anonymous.manage.get.query({ token })).toEqual(booked);
    const moved = await anonymous.manage.reschedule.mutate({ token, new_start_time: '2030-01-09T11:00:00', new_end_time: '2030-01-09T12:00:00' });
    expect(moved).toMatchObject({ id: booked.id, sequence: 1, start_time: '2030-01-09T11:00:00.000Z' });
    const stale = await failure(anonymous.manage.cancel.mutate({ token }));
    expect([errorCode(stale), errorStatus(stale)]).toEqual(['MANAGE.LINK_EXPIRED', 410]);
    const forged = await failure(anonymous.manage.get.query({ token: `${booked.id}.1.${'A'.repeat(32)}` }));
    expect([errorCode(forged), errorStatus(forged)]).toEqual(['MANAGE.NOT_FOUND', 404]);
    expect(await anonymous.manage.cancel.mutate({ token: links.issue({ appointmentId: booked.id, sequence: 1 }) })).toMatchObject({ status: 'cancelled' });
  });

  it('manages webhooks: the secret comes with creation only; a test send shows in the log; a refused URL has its code', async () => {
    const { secret, ...webhook } = await admin.webhooks.create.mutate({ url: 'https://93.184.215.14/hooks', events: ['appointment.created'] });
    expect(secret).toMatch(/^whsec_/);
    expect(await admin.webhooks.get.query({ id: webhook.id })).toEqual(webhook);
    const ping = await admin.webhooks.test.mutate({ id: webhook.id });
    expect(await admin.webhooks.deliveries.query({ id: webhook.id, status: 'pending' })).toEqual({ items: [ping], next_cursor: null });
    expect(errorCode(await failure(admin.webhooks.update.mutate({ id: webhook.id, url: 'http://127.0.0.1/' })))).toBe('WEBHOOK.URL_NOT_ALLOWED');
    expect(errorCode(await failure(as((await signUp('webhook-client@example.com')).token).webhooks.list.query({})))).toBe('AUTH.FORBIDDEN');
  });

  it('resets a password and verifies an address with emailed links; a link used once is gone (410)', async () => {
    const { token } = await signUp('typed-reset@example.com');
    const me = as(token);
    await anonymous.auth.passwordReset.request.mutate({ email: 'typed-reset@example.com' });
    await me.auth.verifyEmail.request.mutate();
    // The links as the worker would email them: read from the outbox, where they wait to be sent.
    const db = await Database.open(parseDatabaseUrl(t.databaseUrl, '.'), { migrate: false });
    try {
      const claims = await db.fork().accountMessages.claimDue(new Date(), new Date(Date.now() + 60_000), 100);
      const linkOf = (kind: string) => claims.filter((m) => m.recipient.email === 'typed-reset@example.com' && m.kind === kind).at(-1)!.link.split('/').at(-1)!;
      const [reset, verify] = [linkOf('password_reset'), linkOf('verify_email')];

      expect(Date.parse((await anonymous.auth.verifyEmail.status.query({ token: verify })).expires_at)).toBeGreaterThan(Date.now());
      await anonymous.auth.verifyEmail.confirm.mutate({ token: verify });
      expect((await me.auth.me.query()).email_verified).toBe(true);

      await anonymous.auth.passwordReset.confirm.mutate({ token: reset, new_password: 'typed-new-password' });
      expect(errorCode(await failure(me.auth.me.query()))).toBe('AUTH.NOT_AUTHENTICATED');
      await anonymous.auth.login.mutate({ username: 'typed-reset@example.com', password: 'typed-new-password' });
      const gone = await failure(anonymous.auth.passwordReset.status.query({ token: reset }));
      expect(errorCode(gone)).toBe('AUTH.RESET_TOKEN_USED_OR_EXPIRED');
      expect((gone as TRPCClientError<never>).data).toMatchObject({ httpStatus: 410 });
      expect(errorCode(await failure(anonymous.auth.verifyEmail.confirm.mutate({ token: 'never-issued' })))).toBe('AUTH.VERIFY_TOKEN_NOT_FOUND');
    } finally {
      await db.close();
    }
  });
});
