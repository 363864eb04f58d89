import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, restCall, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const password = 'correct-horse-1';
const HOUR = 3_600_000;

/** Errors carry the domain error; its stable code is what the API reports. */
const code = (error: unknown) => (error as { cause?: { code?: string } }).cause?.code;

describe.each(['sqlite', 'postgresql'] as const)('appointment lifecycle on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let as: (token: string, now?: Date) => ReturnType<typeof createCaller>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};
  // Whole hours, comfortably ahead, so windows and notice are easy to reason about.
  const base = Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();

  const failure = async (call: Promise<unknown>) => call.then(() => expect.unreachable('expected a failure'), (error: unknown) => code(error));
  const book = (who: string, startMs: number, hours = 1) =>
    as(tokens[who]!).appointments.create({ staff_id: ids.staff!, start_time: iso(startMs), end_time: iso(startMs + hours * HOUR) });

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    as = (token, now) => createCaller({ services: t.api.services, token, ...(now && { now }) });
    const anonymous = createCaller({ services: t.api.services });
    tokens.admin = (await anonymous.auth.login({ username: ADMIN.email, password: ADMIN.password })).access_token;
    ids.admin = (await as(tokens.admin).auth.me()).id;
    for (const [name, role] of [['staff', 'staff'], ['otherStaff', 'staff'], ['client', 'client'], ['otherClient', 'client'], ['flaky', 'client']] as const) {
      ids[name] = (await as(tokens.admin).auth.register({ email: `${name}@example.com`, full_name: name, password, role, timezone: 'UTC' })).id;
      tokens[name] = (await anonymous.auth.login({ username: `${name}@example.com`, password })).access_token;
    }
    for (let day = 0; day < 7; day++) {
      await as(tokens.staff!).availability.create({ staff_id: ids.staff!, day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
    }
  });
  afterAll(() => t?.close());

  it('cancels in good time, once; history and sequence follow', async () => {
    const appointment = await book('client', base);
    const cancelled = await as(tokens.client!).appointments.cancel({ id: appointment.id, reason: 'Schedule conflict' });
    expect(cancelled).toMatchObject({ id: appointment.id, status: 'cancelled', sequence: 1 });
    expect(await failure(as(tokens.client!).appointments.cancel({ id: appointment.id }))).toBe('APPOINTMENT.NOT_SCHEDULED');
    const history = await as(tokens.client!).appointments.history({ id: appointment.id });
    expect(history.map((e) => [e.action, e.from_status, e.to_status, e.reason])).toEqual([
      ['booked', null, 'scheduled', null],
      ['cancelled', 'scheduled', 'cancelled', 'Schedule conflict'],
    ]);
    expect(history[1]!.actor_id).toBe(ids.client);
  });

  it('keeps clients and staff out of the cancellation window; admins override it on record', async () => {
    const appointment = await book('client', base + 2 * HOUR);
    const late = new Date(base + HOUR); // one hour before the start
    expect(await failure(as(tokens.client!, late).appointments.cancel({ id: appointment.id }))).toBe('APPOINTMENT.WITHIN_CANCELLATION_WINDOW');
    expect(await failure(as(tokens.staff!, late).appointments.reschedule({ id: appointment.id, new_start_time: iso(base + 5 * HOUR), new_end_time: iso(base + 6 * HOUR) }))).toBe(
      'APPOINTMENT.WITHIN_CANCELLATION_WINDOW',
    );
    const overridden = await as(tokens.admin!, late).appointments.update({ id: appointment.id, status: 'cancelled', reason: 'Staff ill' });
    expect(overridden.status).toBe('cancelled');
    const history = await as(tokens.admin!).appointments.history({ id: appointment.id });
    expect(history.at(-1)).toMatchObject({ action: 'cancelled', policy_override: true, actor_id: ids.admin });
  });

  it('reschedules under every booking rule, keeping the id and growing the sequence', async () => {
    const appointment = await book('client', base + 10 * HOUR);
    const blocker = await book('otherClient', base + 12 * HOUR);
    // Overlapping its own old time is fine: it does not conflict with itself.
    const moved = await as(tokens.client!).appointments.reschedule({ id: appointment.id, new_start_time: iso(base + 10.5 * HOUR), new_end_time: iso(base + 11.5 * HOUR), reason: 'Later' });
    expect(moved).toMatchObject({ id: appointment.id, sequence: 1, start_time: iso(base + 10.5 * HOUR), status: 'scheduled' });
    expect(await failure(as(tokens.client!).appointments.reschedule({ id: appointment.id, new_start_time: iso(base + 12 * HOUR), new_end_time: iso(base + 13 * HOUR) }))).toBe(
      'APPOINTMENT.SLOT_TAKEN',
    );
    expect(await failure(as(tokens.client!).appointments.reschedule({ id: appointment.id, new_start_time: '2020-01-01T10:00:00Z', new_end_time: '2020-01-01T11:00:00Z' }))).toBe(
      'APPOINTMENT.TOO_SOON',
    );
    // Other people's appointments are invisible, not merely forbidden.
    expect(await failure(as(tokens.otherClient!).appointments.cancel({ id: appointment.id }))).toBe('APPOINTMENT.NOT_FOUND');
    expect(await failure(as(tokens.otherStaff!).appointments.reschedule({ id: blocker.id, new_start_time: iso(base + 14 * HOUR), new_end_time: iso(base + 15 * HOUR) }))).toBe(
      'APPOINTMENT.NOT_FOUND',
    );
    const history = await as(tokens.staff!).appointments.history({ id: appointment.id });
    expect(history.at(-1)).toMatchObject({
      action: 'rescheduled',
      from_start_time: iso(base + 10 * HOUR),
      to_start_time: iso(base + 10.5 * HOUR),
      reason: 'Later',
    });
  });

  it('edits notes without touching status, as a new version', async () => {
    const appointment = await book('client', base + 20 * HOUR);
    const updated = await as(tokens.staff!).appointments.update({ id: appointment.id, notes: 'Bring the X-rays' });
    expect(updated).toMatchObject({ notes: 'Bring the X-rays', status: 'scheduled', sequence: 1 });
  });

  it('marks only after the start, by the assigned staff member or an admin, and counts completions', async () => {
    const appointment = await book('client', base + 30 * HOUR);
    expect(await failure(as(tokens.staff!).appointments.markCompleted({ id: appointment.id }))).toBe('APPOINTMENT.NOT_STARTED');
    const after = new Date(base + 30.5 * HOUR);
    expect(await failure(as(tokens.client!, after).appointments.markCompleted({ id: appointment.id }))).toBe('AUTH.FORBIDDEN');
    expect(await as(tokens.staff!, after).appointments.markCompleted({ id: appointment.id })).toMatchObject({ status: 'completed' });
    expect(await failure(as(tokens.staff!, after).appointments.markNoShow({ id: appointment.id }))).toBe('APPOINTMENT.NOT_SCHEDULED');
    expect(await as(tokens.client!).auth.me()).toMatchObject({ completed_count: 1, no_show_count: 0 });
  });

  it('blocks a client at the third no-show, in step with the status; an admin unblock keeps the count', async () => {
    const appointments = [];
    for (let i = 0; i < 3; i++) appointments.push(await book('flaky', base + (40 + 2 * i) * HOUR));
    for (const appointment of appointments) {
      await as(tokens.staff!, new Date(Date.parse(appointment.start_time) + 60_000)).appointments.markNoShow({ id: appointment.id });
    }
    expect(await as(tokens.flaky!).auth.me()).toMatchObject({ no_show_count: 3, is_blocked: true });
    expect(await failure(book('flaky', base + 50 * HOUR))).toBe('APPOINTMENT.CLIENT_BLOCKED');
    const unblocked = await as(tokens.admin!).users.unblock({ id: ids.flaky! });
    expect(unblocked).toMatchObject({ is_blocked: false, no_show_count: 3 });
    expect((await book('flaky', base + 50 * HOUR)).status).toBe('scheduled');
  });

  it('answers every appointment with its service and both parties named, in exactly these fields, over tRPC and REST', async () => {
    const fields = ['client_id', 'client_name', 'created_at', 'end_time', 'id', 'notes', 'sequence', 'service_id', 'staff_id', 'staff_name', 'start_time', 'status', 'updated_at'];
    const named = { service_id: null, client_id: ids.client, client_name: 'client', staff_id: ids.staff, staff_name: 'staff' };
    const [first, second, third] = [await book('client', base + 80 * HOUR), await book('client', base + 82 * HOUR), await book('client', base + 84 * HOUR)];
    const started = (a: { start_time: string }) => new Date(Date.parse(a.start_time) + 60_000);
    const idempotent = await fetch(`${t.url}/api/v1/appointments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json', 'idempotency-key': `names-${dialect}` },
      body: JSON.stringify({ staff_id: ids.staff, start_time: iso(base + 86 * HOUR), end_time: iso(base + 87 * HOUR) }),
    });
    const answers = {
      create: first,
      'create (Idempotency-Key)': (await idempotent.json()) as object,
      get: await as(tokens.client!).appointments.get({ id: first.id }),
      list: (await as(tokens.client!).appointments.list({ from: iso(base + 80 * HOUR), to: iso(base + 81 * HOUR) })).items[0]!,
      update: await as(tokens.staff!).appointments.update({ id: first.id, notes: 'n' }),
      reschedule: await as(tokens.client!).appointments.reschedule({ id: first.id, new_start_time: iso(base + 88 * HOUR), new_end_time: iso(base + 89 * HOUR) }),
      cancel: await as(tokens.client!).appointments.cancel({ id: first.id }),
      markCompleted: await as(tokens.staff!, started(second)).appointments.markCompleted({ id: second.id }),
      markNoShow: await as(tokens.staff!, started(third)).appointments.markNoShow({ id: third.id }),
      'REST get': await restCall<object>(t.url, tokens.admin!, 'GET', `/api/v1/appointments/${second.id}`),
      'REST list': (await restCall<object[]>(t.url, tokens.staff!, 'GET', `/api/v1/appointments?from=${iso(base + 84 * HOUR)}&to=${iso(base + 85 * HOUR)}`))[0]!,
    };
    for (const [label, answer] of Object.entries(answers)) {
      expect(Object.keys(answer).sort(), label).toEqual(fields);
      expect(answer, label).toMatchObject(named);
    }
  });

  it('lets exactly one of a reschedule and a booking racing for the same hour win', async () => {
    for (let round = 0; round < 5; round++) {
      const target = base + (60 + 3 * round) * HOUR;
      const mover = await book('client', target + HOUR * 1.5 + 30 * 24 * HOUR);
      const outcomes = await Promise.allSettled([
        as(tokens.client!).appointments.reschedule({ id: mover.id, new_start_time: iso(target), new_end_time: iso(target + HOUR) }),
        book('otherClient', target),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const loser = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(code(loser.reason)).toBe('APPOINTMENT.SLOT_TAKEN');
    }
  });
});
