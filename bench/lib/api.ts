import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, restCall as call } from '@appointments/testkit/api';
import { load, type LoadResult } from './load.ts';
import { API_MAIN, freePort, spawnNode, waitForHttp, type NodeProcess } from './proc.ts';

export const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password-1' } as const;
export const PASSWORD = 'bench-password-1';
/** The API's key; workers started beside it need the same one, to sign the links in emails (production refuses to start without one). */
export const SECRET_KEY = 'bench-secret-key-0123456789abcdef';

export interface BenchApi {
  readonly url: string;
  readonly process: NodeProcess;
  /** SQLite file (when no databaseUrl was given) and the API's data directory. */
  readonly dataDir: string;
  readonly databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * `node apps/api/src/main.ts` as deployed (NODE_ENV=production), on its own SQLite file under a
 * fresh directory or on `databaseUrl`, logging at warn (request logs at info cost throughput).
 */
export async function startApi(options: { databaseUrl?: string; cpu?: number; nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<BenchApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'appointments-bench-'));
  const databaseUrl = options.databaseUrl ?? `sqlite:///${join(dataDir, 'app.db')}`;
  const port = await freePort();
  const proc = spawnNode(
    API_MAIN,
    [],
    {
      NODE_ENV: 'production',
      SECRET_KEY,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      REGISTER_MAX_PER_HOUR: '1000000',
      ...options.env,
    },
    { cpu: options.cpu, cwd: dataDir, nodeArgs: options.nodeArgs },
  );
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([waitForHttp(`${url}/api/v1/auth/me`), proc.exited.then((code) => Promise.reject(new Error(`API exited (${code}):\n${proc.lines.map((l) => JSON.stringify(l)).join('\n')}`)))]);
  return {
    url,
    process: proc,
    dataDir,
    databaseUrl,
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { call, login };

/** Staff members (created with the admin's token), each with the given weekly hours. */
export async function seedStaff(
  url: string,
  admin: string,
  count: number,
  weekly: readonly { day_of_week: number; start_time: string; end_time: string }[],
  prefix = 'staff',
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const staff = await call<{ id: number }>(url, admin, 'POST', '/api/v1/auth/register', { email: `${prefix}${i}@example.com`, full_name: `Staff ${i}`, password: PASSWORD, role: 'staff' });
    for (const rule of weekly) await call(url, admin, 'POST', '/api/v1/availability', { staff_id: staff.id, is_recurring: true, ...rule });
    ids.push(staff.id);
  }
  return ids;
}

/** Clients who sign themselves up; their ids and bearer tokens. */
export async function seedClients(url: string, count: number, prefix = 'client'): Promise<{ id: number; token: string }[]> {
  const clients: { id: number; token: string }[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}${i}@example.com`;
    const user = await call<{ id: number }>(url, null, 'POST', '/api/v1/auth/register', { email, full_name: `Client ${i}`, password: PASSWORD });
    clients.push({ id: user.id, token: await login(url, email, PASSWORD) });
  }
  return clients;
}

/** One request's booking: the client's token and the JSON body. */
export interface BookingRequest {
  readonly token: string;
  readonly body: string;
}

/** Loads `POST /api/v1/appointments` for `seconds`, each request's token and body from `next`. */
export function loadBookings(url: string, seconds: number, connections: number, next: () => BookingRequest): Promise<LoadResult> {
  return load({
    url,
    duration: seconds,
    connections,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/appointments',
        setupRequest: (req) => {
          const { token, body } = next();
          return { ...req, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } };
        },
      },
    ],
  });
}
