import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const password = 'correct-horse-1';
const HOUR = 3_600_000;
/** The worker's REMINDER_LEAD_MINUTES=1440. */
const LEAD = { reminderLeadMinutes: [24 * 60] };
const code = (error: unknown) => (error as { cause?: { code?: string } }).cause?.code;

describe.each(['sqlite', 'postgresql'] as const)('notification outbox through the API on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let as: (token: string, now?: Date) => ReturnType<typeof createCaller>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const base = Math.ceil(Date.now() / HOUR) * HOUR + 72 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  const failure = async (call: Promise<unknown>) => call.then(() => expect.unreachable('expected a failure'), (error: unknown) => code(error));
  /** The worker's step: the changes the API recorded become their notifications. */
  const processChanges = () => t.api.services.db.fork().appointmentChanges.processPending(LEAD, 10_000);
  const outbox = async (appointmentId: number) => {
    await processChanges();
    return (await as(tokens.admin!).notifications.list({ appointment_id: appointmentId, skip: 0, limit: 50 })).items
      .map((n) => `${n.kind}/${n.sequence}/${n.recipient_id === ids.client ? 'client' : 'staff'}:${n.status}`)
      .sort();
  };

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    as = (token, now) => createCaller({ services: t.api.services, token, ...(now && { now }) });
    const anonymous = createCaller({ services: t.api.services });
    tokens.admin = (await anonymous.auth.login({ username: ADMIN.email, password: ADMIN.password })).access_token;
    for (const [name, role] of [['staff', 'staff'], ['client', 'client']] as const) {
      ids[name] = (await as(tokens.admin).auth.register({ email: `${name}@example.com`, full_name: name, password, role, timezone: 'UTC' })).id;
      tokens[name] = (await anonymous.auth.login({ username: `${name}@example.com`, password })).access_token;
    }
    for (let day = 0; day < 7; day++) {
      await as(tokens.staff!).availability.create({ staff_id: ids.staff!, day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
    }
  });
  afterAll(() => t?.close());

  const book = (startMs: number, now?: Date) =>
    as(tokens.client!, now).appointments.create({ staff_id: ids.staff!, start_time: iso(startMs), end_time: iso(startMs + HOUR) });

  it('booking records a confirmation and a reminder for each party', async () => {
    const a = await book(base);
    expect(await outbox(a.id)).toEqual(['confirmation/0/client:pending', 'confirmation/0/staff:pending', 'reminder/0/client:pending', 'reminder/0/staff:pending']);
    const reminder = (await as(tokens.admin!).notifications.list({ appointment_id: a.id, status: 'pending' })).items.find((n) => n.kind === 'reminder')!;
    expect(Date.parse(reminder.due_at)).toBe(base - 24 * HOUR);
  });

  it('no reminder for an appointment booked inside the lead time', async () => {
    const a = await book(base + 2 * HOUR, new Date(base - 20 * HOUR));
    expect(await outbox(a.id)).toEqual(['confirmation/0/client:pending', 'confirmation/0/staff:pending']);
  });

  it('a reschedule voids the old reminders and records the notice and new reminders; cancelling records a notice and no reminder', async () => {
    const a = await book(base + 4 * HOUR);
    await as(tokens.client!).appointments.reschedule({ id: a.id, new_start_time: iso(base + 30 * HOUR), new_end_time: iso(base + 31 * HOUR), reason: 'Clash' });
    expect(await outbox(a.id)).toEqual([
      'confirmation/0/client:dropped',
      'confirmation/0/staff:dropped',
      'reminder/0/client:dropped',
      'reminder/0/staff:dropped',
      'reminder/1/client:pending',
      'reminder/1/staff:pending',
      'reschedule/1/client:pending',
      'reschedule/1/staff:pending',
    ]);
    const notice = (await as(tokens.admin!).notifications.list({ appointment_id: a.id })).items.find((n) => n.kind === 'reschedule')!;
    expect(notice.sequence).toBe(1);

    await as(tokens.staff!).appointments.cancel({ id: a.id, reason: 'Ill' });
    const after = await outbox(a.id);
    expect(after.filter((n) => n.startsWith('cancellation'))).toEqual(['cancellation/2/client:pending', 'cancellation/2/staff:pending']);
    expect(after.filter((n) => n.endsWith(':pending'))).toEqual(['cancellation/2/client:pending', 'cancellation/2/staff:pending']);
  });

  it('marking completed or no-show and editing notes send nothing: what was recorded moves to each new version', async () => {
    const a = await book(base + 8 * HOUR);
    const before = await outbox(a.id);
    await as(tokens.client!).appointments.update({ id: a.id, notes: 'Bring the forms' });
    await as(tokens.staff!, new Date(base + 9 * HOUR)).appointments.markCompleted({ id: a.id });
    expect(await outbox(a.id)).toEqual(before.map((row) => row.replace('/0/', '/2/')));
  });

  it('a refused booking records nothing', async () => {
    await processChanges();
    const total = (await as(tokens.admin!).notifications.list({})).total!;
    const a = await book(base + 40 * HOUR);
    expect(await failure(book(base + 40 * HOUR))).toBe('APPOINTMENT.SLOT_TAKEN');
    await processChanges();
    expect((await as(tokens.admin!).notifications.list({})).total).toBe(total + 4);
    expect(await outbox(a.id)).toHaveLength(4);
  });

  it('admins list failed notifications and retry one; others may not', async () => {
    const a = await book(base + 50 * HOUR);
    await processChanges();
    const [row] = (await as(tokens.admin!).notifications.list({ appointment_id: a.id, status: 'pending' })).items;
    await t.api.services.db.fork().notifications.markFailed(row!.id, '550 mailbox unavailable');
    const failed = await as(tokens.admin!).notifications.list({ status: 'failed' });
    expect(failed.items.map((n) => [n.id, n.last_error])).toContainEqual([row!.id, '550 mailbox unavailable']);
    expect(await failure(as(tokens.client!).notifications.list({ status: 'failed' }))).toBe('AUTH.FORBIDDEN');
    expect(await failure(as(tokens.staff!).notifications.retry({ id: row!.id }))).toBe('AUTH.FORBIDDEN');

    const retried = await as(tokens.admin!).notifications.retry({ id: row!.id });
    expect(retried).toMatchObject({ id: row!.id, status: 'pending', last_error: '550 mailbox unavailable' });
    expect(await failure(as(tokens.admin!).notifications.retry({ id: row!.id }))).toBe('NOTIFICATION.NOT_FAILED');
    expect(await failure(as(tokens.admin!).notifications.retry({ id: 2_000_000_000 }))).toBe('NOTIFICATION.NOT_FOUND');
  });

  it('the REST routes: list failed with a query string, retry by path id, JSON errors', async () => {
    const headers = { authorization: `Bearer ${tokens.admin}` };
    const list = await fetch(`${t.url}/api/v1/admin/notifications?status=failed&skip=0&limit=5`, { headers });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { items: { status: string }[]; limit: number };
    expect(body.limit).toBe(5);
    expect(body.items.every((n) => n.status === 'failed')).toBe(true);
    const bad = await fetch(`${t.url}/api/v1/admin/notifications?status=bogus`, { headers });
    expect(bad.status).toBe(422);
    const missing = await fetch(`${t.url}/api/v1/admin/notifications/999999/retry`, { method: 'POST', headers });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOTIFICATION.NOT_FOUND' });
    const anonymous = await fetch(`${t.url}/api/v1/admin/notifications`);
    expect(anonymous.status).toBe(401);
  });
});
