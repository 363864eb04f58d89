import { addDays, localDate } from '@appointments/domain';

export const PASSWORD = 'correct-horse-1';

export interface RestAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown> & { code?: string; message?: string };
  /** Wall time from send to the parsed body. */
  readonly ms: number;
}

/**
 * One REST call; a JSON body is parsed whatever the status, so failures can be asserted on (other
 * bodies, e.g. calendars, come back as `{}`). With `timeoutMs`, no answer by then throws.
 */
export async function rest(
  url: string,
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; timeoutMs?: number; idempotencyKey?: string } = {},
): Promise<RestAnswer> {
  const started = performance.now();
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  const signal = opts.timeoutMs === undefined ? undefined : AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(`${url}${path}`, { method, headers, signal, body: opts.json === undefined ? undefined : JSON.stringify(opts.json) });
    const text = await res.text();
    const body = (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {}) as RestAnswer['body'];
    return { status: res.status, headers: res.headers, body, ms: Math.round(performance.now() - started) };
  } catch (error) {
    if (signal?.aborted) throw new Error(`${method} ${path}: no answer within ${opts.timeoutMs} ms`, { cause: error });
    throw error;
  }
}

async function created(answer: Promise<RestAnswer>): Promise<Record<string, unknown>> {
  const { status, body } = await answer;
  if (status !== 201 && status !== 200) throw new Error(`setup call failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

export async function loginToken(url: string, email: string, password = PASSWORD): Promise<string> {
  return (await created(rest(url, 'POST', '/api/v1/auth/login', { json: { username: email, password } }))).access_token as string;
}

export interface Scenario {
  readonly adminToken: string;
  readonly staffId: number;
  readonly clients: readonly { readonly id: number; readonly token: string }[];
  /** A UTC date a few days ahead: far enough that bookings also plan reminders. */
  readonly firstDay: string;
}

/** One staff member available 08:00–18:00 UTC every day, and `clientCount` signed-in clients. */
export async function setUpScenario(url: string, admin: { email: string; password: string }, clientCount: number): Promise<Scenario> {
  const adminToken = await loginToken(url, admin.email, admin.password);
  const staff = await created(
    rest(url, 'POST', '/api/v1/auth/register', { token: adminToken, json: { email: 'staff@example.com', full_name: 'Staff', password: PASSWORD, role: 'staff', timezone: 'UTC' } }),
  );
  const staffToken = await loginToken(url, 'staff@example.com');
  for (let day = 0; day < 7; day++) {
    await created(
      rest(url, 'POST', '/api/v1/availability', {
        token: staffToken,
        json: { staff_id: staff.id, day_of_week: day, start_time: '08:00:00', end_time: '18:00:00', is_recurring: true },
      }),
    );
  }
  const clients = [];
  for (let i = 0; i < clientCount; i++) {
    const email = `client${i}@example.com`;
    const client = await created(rest(url, 'POST', '/api/v1/auth/register', { json: { email, full_name: `Client ${i}`, password: PASSWORD } }));
    clients.push({ id: client.id as number, token: await loginToken(url, email) });
  }
  return { adminToken, staffId: staff.id as number, clients, firstDay: addDays(localDate(Date.now(), 'UTC'), 3) };
}

/** The `index`-th distinct half hour inside the scenario's availability: 20 a day from `firstDay`. */
export function slot(scenario: Scenario, index: number): { start_time: string; end_time: string } {
  const day = addDays(scenario.firstDay, Math.floor(index / 20));
  const minutes = 8 * 60 + (index % 20) * 30;
  const at = (m: number) => `${day}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`;
  return { start_time: at(minutes), end_time: at(minutes + 30) };
}
