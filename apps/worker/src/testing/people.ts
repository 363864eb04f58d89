import type { TestSystem } from './system.ts';

const HOUR = 3_600_000;
const password = 'correct-horse-1';

/** A staff member with round-the-clock hours and a client, on a fresh system. */
export async function people(sys: TestSystem) {
  const ids: Record<string, number> = {};
  const tokens: Record<string, string> = {};
  for (const [name, role] of [['staff', 'staff'], ['client', 'client']] as const) {
    ids[name] = (await sys.call<{ id: number }>(sys.adminToken, 'POST', '/api/v1/auth/register', { email: `${name}@example.com`, full_name: name, password, role })).id;
    tokens[name] = (await sys.call<{ access_token: string }>(null, 'POST', '/api/v1/auth/login', { username: `${name}@example.com`, password })).access_token;
  }
  for (let day = 0; day < 7; day++) {
    await sys.call(tokens.staff!, 'POST', '/api/v1/availability', { staff_id: ids.staff, day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
  }
  /** `count` one-hour bookings, days ahead (their reminders are far outside the queue's lookahead). */
  const base = Math.ceil(Date.now() / HOUR) * HOUR + 72 * HOUR;
  let next = 0;
  const bookMany = async (count: number) => {
    for (let i = next; i < next + count; i++) {
      await sys.call(tokens.client!, 'POST', '/api/v1/appointments', {
        staff_id: ids.staff,
        start_time: new Date(base + i * HOUR).toISOString(),
        end_time: new Date(base + (i + 1) * HOUR).toISOString(),
      });
    }
    next += count;
  };
  return { bookMany };
}
