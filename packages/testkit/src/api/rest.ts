/** The admin every test API creates at start-up. */
export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' } as const;

/** One REST call as `token` (null: anonymous); the JSON body, or throws with the status and the error body. */
export async function restCall<T>(url: string, token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Logs in over REST (JSON) and returns the bearer token. */
export async function login(url: string, email: string, password: string): Promise<string> {
  return (await restCall<{ access_token: string }>(url, null, 'POST', '/api/v1/auth/login', { username: email, password })).access_token;
}

/** POST /api/v1/appointments over REST as `token`: 'booked' (201), or the error body's code. */
export async function bookOverRest(t: { readonly url: string }, token: string, body: unknown, idempotencyKey?: string): Promise<string> {
  const res = await fetch(`${t.url}/api/v1/appointments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(idempotencyKey && { 'idempotency-key': idempotencyKey }) },
    body: JSON.stringify(body),
  });
  return res.status === 201 ? 'booked' : ((await res.json()) as { code: string }).code;
}

/**
 * The admin's token, a staff member available all day every day (UTC) and a signed-in client, made
 * over REST; `next` is a whole hour three days ahead, for bookings that must not overlap.
 */
export async function setUpAllDayStaff(t: { readonly url: string }, password: string): Promise<{ admin: string; staffId: number; client: string; next: number }> {
  const admin = await login(t.url, ADMIN.email, ADMIN.password);
  const { id: staffId } = await restCall<{ id: number }>(t.url, admin, 'POST', '/api/v1/auth/register', { email: 'staff@example.com', full_name: 'Staff', password, role: 'staff' });
  await restCall(t.url, admin, 'POST', '/api/v1/auth/register', { email: 'client@example.com', full_name: 'Client', password });
  const client = await login(t.url, 'client@example.com', password);
  for (let day = 0; day < 7; day++) {
    await restCall(t.url, admin, 'POST', '/api/v1/availability', { staff_id: staffId, day_of_week: day, start_time: '00:00', end_time: '24:00', is_recurring: true });
  }
  const now = Date.now();
  return { admin, staffId, client, next: now - (now % 3_600_000) + 72 * 3_600_000 };
}
