import { testTargets, type TestTarget } from '@appointments/db/testing';
import { parseEnv, type ApiEnvInput } from './env.ts';

export { ENV_VARIABLES as API_ENV_VARIABLES } from './env.ts';
export { startTcpProxy, type TcpProxy } from './faults/tcp-proxy.ts';
import { createServer, type ApiServer } from './server.ts';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' } as const;

export interface TestApi {
  readonly url: string;
  readonly databaseUrl: string;
  readonly api: ApiServer;
  close(): Promise<void>;
}

/**
 * A real API on an ephemeral port over a fresh SQLite file or PostgreSQL database. Pass
 * `env.DATABASE_URL` (e.g. another TestApi's `databaseUrl`) to share a database; only the API
 * that created a database drops it.
 */
export async function startTestApi(dialect: keyof typeof testTargets, env: ApiEnvInput = {}): Promise<TestApi> {
  const target: TestTarget | undefined = env.DATABASE_URL ? undefined : await testTargets[dialect]();
  const databaseUrl =
    env.DATABASE_URL ?? (target!.target.dialect === 'sqlite' ? `sqlite:///${target!.target.path}` : target!.target.url);
  const api = await createServer({
    env: parseEnv({
      NODE_ENV: 'test',
      DATA_DIR: '/tmp',
      SECRET_KEY: 'test-secret-key-0123456789',
      PORT: '0',
      LOG_LEVEL: 'silent',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Tests sign up many users from one address; the sign-up limit has a test of its own.
      REGISTER_MAX_PER_HOUR: '100000',
      ...env,
      DATABASE_URL: databaseUrl,
    }),
  });
  return {
    url: await api.start(),
    api,
    databaseUrl,
    close: async () => {
      await api.stop(1000);
      await target?.drop();
    },
  };
}

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

/** Two API processes on one database, as two deployments of it would run, and the admin's token. */
export async function startApiPair(dialect: keyof typeof testTargets): Promise<{ a: TestApi; b: TestApi; admin: string }> {
  const a = await startTestApi(dialect);
  const b = await startTestApi(dialect, { DATABASE_URL: a.databaseUrl });
  return { a, b, admin: await login(a.url, ADMIN.email, ADMIN.password) };
}

/** POST /api/v1/appointments over REST as `token`: 'booked' (201), or the error body's code. */
export async function bookOverRest(t: TestApi, token: string, body: unknown, idempotencyKey?: string): Promise<string> {
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
export async function setUpAllDayStaff(t: TestApi, password: string): Promise<{ admin: string; staffId: number; client: string; next: number }> {
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
