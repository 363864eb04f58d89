import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '@appointments/domain';
import { ADMIN, login, rest, restCall, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const PASSWORD = 'service-race-1';
const CLIENTS = 40;

/**
 * Clients racing for what a service has few of: staff to assign, seats, a day's bookings. On
 * PostgreSQL they go through two API instances sharing one database, so no in-process lock could
 * be what saves us: only the database's guards.
 */
describe.each([
  ['sqlite', 1],
  ['postgresql', 2],
] as const)('racing bookings by service on %s through %i API instance(s)', (dialect, instances) => {
  const apis: TestApi[] = [];
  let admin: string;
  let tokens: string[];
  let day: string;
  let n = 0;
  const url = () => apis[0]!.url;
  const newStaff = async () => {
    const { id } = await restCall<{ id: number }>(url(), admin, 'POST', '/api/v1/auth/register', { email: `staff${++n}@race.test`, full_name: 'S', password: PASSWORD, role: 'staff', timezone: 'UTC' });
    for (let dayOfWeek = 0; dayOfWeek < 7; dayOfWeek++) {
      await restCall(url(), admin, 'POST', '/api/v1/availability', { staff_id: id, day_of_week: dayOfWeek, start_time: '08:00', end_time: '18:00', is_recurring: true });
    }
    return id;
  };
  const newService = async (staffIds: number[], capacity = 1) =>
    (await restCall<{ id: number }>(url(), admin, 'POST', '/api/v1/services', { name: `Race ${++n}`, duration_minutes: 60, currency: 'EUR', staff_ids: staffIds, capacity })).id;
  /** Everyone at once, one client each from `firstClient` on, spread over the instances: the status and code (or staff member) of each answer. */
  const race = (bodies: object[], firstClient = 0) =>
    Promise.all(
      bodies.map(async (body, i) => {
        const answer = await rest(apis[i % apis.length]!.url, 'POST', '/api/v1/appointments', { token: tokens[firstClient + i]!, json: body });
        return { status: answer.status, code: answer.body.code, staffId: answer.body.staff_id as number | undefined };
      }),
    );

  beforeAll(async () => {
    apis.push(await startTestApi({ createServer, parseEnv }, dialect));
    while (apis.length < instances) apis.push(await startTestApi({ createServer, parseEnv }, dialect, { DATABASE_URL: apis[0]!.databaseUrl }));
    admin = await login(url(), ADMIN.email, ADMIN.password);
    tokens = [];
    for (let i = 0; i < CLIENTS; i++) {
      await restCall(url(), admin, 'POST', '/api/v1/auth/register', { email: `client${i}@race.test`, full_name: 'C', password: PASSWORD });
      tokens.push(await login(url(), `client${i}@race.test`, PASSWORD));
    }
    day = addDays(localDate(Date.now(), 'UTC'), 4);
  }, 120_000);
  afterAll(async () => {
    for (const api of apis.reverse()) await api.close();
  });

  it(`of ${CLIENTS} clients booking any staff member of a 2-staff service at one time, exactly 2 win, one with each`, async () => {
    const staff = [await newStaff(), await newStaff()];
    const serviceId = await newService(staff);
    const answers = await race(Array.from({ length: CLIENTS }, () => ({ service_id: serviceId, start_time: `${day}T10:00:00Z` })));
    const won = answers.filter((a) => a.status === 201);
    expect(won.map((a) => a.staffId).sort()).toEqual([...staff].sort());
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.code === 'APPOINTMENT.SLOT_TAKEN')).toBe(true);
  });

  it('of 20 clients for the last 3 seats of a group session, exactly 3 get one', async () => {
    const staffId = await newStaff();
    const serviceId = await newService([staffId], 5);
    const body = { service_id: serviceId, start_time: `${day}T12:00:00Z` };
    for (const token of tokens.slice(20, 22)) expect((await rest(url(), 'POST', '/api/v1/appointments', { token, json: body })).status).toBe(201);
    const answers = await race(Array.from({ length: 20 }, () => body));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.code === 'APPOINTMENT.FULLY_BOOKED')).toBe(true);
  });

  it('of concurrent bookings at different times against a daily cap of 1, exactly one is written', async () => {
    const staffId = await newStaff();
    await restCall(url(), admin, 'PATCH', `/api/v1/staff/${staffId}/settings`, { max_bookings_per_day: 1 });
    const at = (hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00Z`;
    // Clients who booked nothing yet that day, so none is busy elsewhere.
    const answers = await race(Array.from({ length: 10 }, (_, i) => ({ staff_id: staffId, start_time: at(8 + i), end_time: at(9 + i) })), 22);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.code === 'APPOINTMENT.DAILY_LIMIT_REACHED')).toBe(true);
    const stored = await restCall<unknown[]>(url(), admin, 'GET', `/api/v1/appointments?staff_id=${staffId}`);
    expect(stored).toHaveLength(1);
  });
});
