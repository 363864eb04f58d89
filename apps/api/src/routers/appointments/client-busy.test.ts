import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, PASSWORD, loginToken, rest, setUpScenario, slot, startApiPair, type Scenario, type TestApi } from '@appointments/testkit/api';
import { createServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const STAFF = 6;

/**
 * A client cannot be in two places: their scheduled appointments may not overlap, whoever they are
 * with (409 APPOINTMENT.CLIENT_BUSY), enforced by the database's write so a race cannot slip through.
 * Only an admin booking for them may waive it (`allow_client_overlap`), and the history records it.
 */
describe.each(['sqlite', 'postgresql'] as const)('a busy client on %s', (dialect) => {
  let a: TestApi;
  let b: TestApi;
  let scenario: Scenario;
  const staffIds: number[] = [];
  const client = () => scenario.clients[0]!;
  const book = (t: TestApi, token: string, json: Record<string, unknown>) => rest(t.url, 'POST', '/api/v1/appointments', { token, json });
  const outcome = (answer: { status: number; body: { code?: string } }) => (answer.status < 300 ? String(answer.status) : `${answer.status} ${answer.body.code}`);

  beforeAll(async () => {
    ({ a, b } = await startApiPair({ createServer, parseEnv }, dialect));
    scenario = await setUpScenario(a.url, ADMIN, 2);
    staffIds.push(scenario.staffId);
    // More staff members with the scenario's hours (08:00-18:00 UTC, every day).
    for (let i = 1; i < STAFF; i++) {
      const email = `staff-busy-${i}@example.com`;
      const staff = await rest(a.url, 'POST', '/api/v1/auth/register', { token: scenario.adminToken, json: { email, full_name: `Staff ${i}`, password: PASSWORD, role: 'staff', timezone: 'UTC' } });
      const token = await loginToken(a.url, email);
      for (let day = 0; day < 7; day++) {
        await rest(a.url, 'POST', '/api/v1/availability', { token, json: { staff_id: staff.body.id, day_of_week: day, start_time: '08:00:00', end_time: '18:00:00', is_recurring: true } });
      }
      staffIds.push(staff.body.id as number);
    }
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('refuses a second appointment at an overlapping time with another staff member, on booking and on a move', async () => {
    expect(outcome(await book(a, client().token, { staff_id: staffIds[0], ...slot(scenario, 0) }))).toBe('201');
    expect(outcome(await book(a, client().token, { staff_id: staffIds[1], ...slot(scenario, 0) }))).toBe('409 APPOINTMENT.CLIENT_BUSY');
    // Another client is free to take that time with that staff member.
    expect(outcome(await book(a, scenario.clients[1]!.token, { staff_id: staffIds[1], ...slot(scenario, 0) }))).toBe('201');
    const later = await book(a, client().token, { staff_id: staffIds[2], ...slot(scenario, 1) });
    expect(later.status).toBe(201);
    const { start_time, end_time } = slot(scenario, 0);
    const moved = await rest(a.url, 'POST', `/api/v1/appointments/${later.body.id}/reschedule`, { token: client().token, json: { new_start_time: start_time, new_end_time: end_time } });
    expect(outcome(moved)).toBe('409 APPOINTMENT.CLIENT_BUSY');
  });

  it('lets only an admin waive it, and records the waiver in the history', async () => {
    const time = slot(scenario, 2);
    expect(outcome(await book(a, client().token, { staff_id: staffIds[0], ...time }))).toBe('201');
    expect(outcome(await book(a, client().token, { staff_id: staffIds[1], ...time, allow_client_overlap: true }))).toBe('403 AUTH.FORBIDDEN');
    const waived = await book(a, scenario.adminToken, { staff_id: staffIds[1], client_id: client().id, ...time, allow_client_overlap: true });
    expect(outcome(waived)).toBe('201');
    const history = await rest(a.url, 'GET', `/api/v1/appointments/${waived.body.id}/history`, { token: scenario.adminToken });
    expect(history.body).toMatchObject([{ action: 'booked', policy_override: true }]);
    // The waiver is for that appointment: a later booking may not overlap it.
    expect(outcome(await book(a, scenario.adminToken, { staff_id: staffIds[2], client_id: client().id, ...time }))).toBe('409 APPOINTMENT.CLIENT_BUSY');
  });

  it('of bookings of one client with every staff member at one time, racing through two API processes, exactly one is made', async () => {
    for (let round = 0; round < 4; round++) {
      const time = slot(scenario, 10 + round);
      const answers = await Promise.all(staffIds.map((staffId, i) => book(i % 2 ? a : b, client().token, { staff_id: staffId, ...time })));
      expect(answers.map(outcome).sort()).toEqual(['201', ...Array<string>(STAFF - 1).fill('409 APPOINTMENT.CLIENT_BUSY')]);
    }
  });
});
