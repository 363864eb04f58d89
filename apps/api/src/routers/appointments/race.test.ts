import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '@appointments/domain';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const password = 'correct-horse-1';
const REQUESTS = 40;

/**
 * Dozens of clients try to book the same hour at once. On PostgreSQL they go through two API
 * processes sharing one database, so no in-process lock could be what saves us.
 */
describe.each([
  ['sqlite', 1],
  ['postgresql', 2],
] as const)('racing bookings on %s through %i API instance(s)', (dialect, instances) => {
  const apis: TestApi[] = [];
  let staffId: number;
  let tokens: string[];
  let day: string;

  beforeAll(async () => {
    apis.push(await startTestApi({ createServer, parseEnv }, dialect));
    while (apis.length < instances) apis.push(await startTestApi({ createServer, parseEnv }, dialect, { DATABASE_URL: apis[0]!.databaseUrl }));
    const url = apis[0]!.url;
    const admin = await login(url, ADMIN.email, ADMIN.password);
    const post = async (path: string, token: string, json: unknown) =>
      (await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(json) })).json() as Promise<{ id: number }>;
    staffId = (await post('/api/v1/auth/register', admin, { email: 'racer-staff@example.com', full_name: 'S', password, role: 'staff', timezone: 'UTC' })).id;
    const staffToken = await login(url, 'racer-staff@example.com', password);
    for (let dayOfWeek = 0; dayOfWeek < 7; dayOfWeek++) {
      await post('/api/v1/availability', staffToken, { staff_id: staffId, day_of_week: dayOfWeek, start_time: '08:00:00', end_time: '18:00:00', is_recurring: true });
    }
    tokens = [];
    for (let i = 0; i < 8; i++) {
      await post('/api/v1/auth/register', admin, { email: `racer${i}@example.com`, full_name: 'C', password });
      tokens.push(await login(url, `racer${i}@example.com`, password));
    }
    day = addDays(localDate(Date.now(), 'UTC'), 5);
  }, 60_000);
  afterAll(async () => {
    for (const api of apis.reverse()) await api.close();
  });

  it(`lets exactly one of ${REQUESTS} simultaneous bookings of one hour through`, async () => {
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        fetch(`${apis[i % apis.length]!.url}/api/v1/appointments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
          // Overlapping but not identical intervals: the database must compare ranges, not keys.
          body: JSON.stringify({ staff_id: staffId, start_time: `${day}T10:${String(i % 4 * 10).padStart(2, '0')}:00Z`, end_time: `${day}T11:${String(i % 4 * 10).padStart(2, '0')}:00Z` }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as { code?: string } })),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.every((a) => a.status === 409 && a.body.code === 'APPOINTMENT.SLOT_TAKEN')).toBe(true);

    const admin = await login(apis[0]!.url, ADMIN.email, ADMIN.password);
    const stored = (await (await fetch(`${apis[0]!.url}/api/v1/appointments?staff_id=${staffId}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as unknown[];
    expect(stored).toHaveLength(1);
  });
});
