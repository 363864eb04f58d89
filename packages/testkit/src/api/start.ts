import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testTargets, type TestTarget } from '../db.ts';
import { spawnApi, type ApiProcess } from '../processes/apps.ts';
import { ADMIN, login } from './rest.ts';

export type Dialect = keyof typeof testTargets;

/** An API under test, in this process or its own: where it answers and which database it uses. */
export interface RunningApi {
  readonly url: string;
  readonly databaseUrl: string;
  /** Stops it; only the API that created its database drops it. */
  close(): Promise<void>;
}

/** What the kit needs of the server the API's `createServer` builds. */
export interface ServerUnderTest {
  start(): Promise<string>;
  stop(graceMs?: number): Promise<void>;
}

/**
 * The API's own code, handed in by the test that starts it: the kit cannot import apps (they
 * depend on it, and turbo refuses a cyclic package graph).
 */
export interface ApiCode<E, S extends ServerUnderTest> {
  parseEnv(raw: Record<string, string | undefined>): E;
  createServer(options: { readonly env: E }): Promise<S>;
}

export interface TestApi<S extends ServerUnderTest = ServerUnderTest> extends RunningApi {
  readonly api: S;
}

/** A fresh database, or none when `env.DATABASE_URL` names one to share. */
async function databaseFor(dialect: Dialect, env: Record<string, string>): Promise<{ databaseUrl: string; target?: TestTarget }> {
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL };
  const target = await testTargets[dialect]();
  return { target, databaseUrl: target.target.dialect === 'sqlite' ? `sqlite:///${target.target.path}` : target.target.url };
}

function testEnv(env: Record<string, string>, databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATA_DIR: '/tmp',
    SECRET_KEY: 'test-secret-key-0123456789',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // Tests sign up many users from one address; the sign-up limit has a test of its own.
    REGISTER_MAX_PER_HOUR: '100000',
    // Likewise for password reset and verification emails.
    ACCOUNT_EMAILS_MAX_PER_HOUR: '100000',
    ...env,
    DATABASE_URL: databaseUrl,
  };
}

/**
 * A real API in this process on an ephemeral port over a fresh SQLite file or PostgreSQL database.
 * Pass `env.DATABASE_URL` (e.g. another TestApi's `databaseUrl`) to share a database.
 */
export async function startTestApi<E, S extends ServerUnderTest>(app: ApiCode<E, S>, dialect: Dialect, env: Record<string, string> = {}): Promise<TestApi<S>> {
  const { databaseUrl, target } = await databaseFor(dialect, env);
  const api = await app.createServer({ env: app.parseEnv(testEnv(env, databaseUrl)) });
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

/** Two API instances on one database, as two deployments of it would run, and the admin's token. */
export async function startApiPair<E, S extends ServerUnderTest>(app: ApiCode<E, S>, dialect: Dialect): Promise<{ a: TestApi<S>; b: TestApi<S>; admin: string }> {
  const a = await startTestApi(app, dialect);
  const b = await startTestApi(app, dialect, { DATABASE_URL: a.databaseUrl });
  return { a, b, admin: await login(a.url, ADMIN.email, ADMIN.password) };
}

export interface ApiProcessUnderTest extends RunningApi {
  readonly process: ApiProcess;
}

/**
 * `node apps/api/src/main.ts` over a fresh database, for tests outside the API (the worker's, the
 * client's), which start the app as deployed rather than import its code. It logs at info: its
 * readiness line is an info line. Its working and data directory is a fresh one (no stray `.env`).
 */
export async function startApiProcess(dialect: Dialect, env: Record<string, string> = {}): Promise<ApiProcessUnderTest> {
  const { databaseUrl, target } = await databaseFor(dialect, env);
  const dir = mkdtempSync(join(tmpdir(), 'appointments-api-'));
  const child = spawnApi(testEnv({ LOG_LEVEL: 'info', DATA_DIR: dir, ...env }, databaseUrl), dir);
  const close = async () => {
    await child.stop();
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    return { url: await child.url, databaseUrl, process: child, close };
  } catch (error) {
    await close();
    throw error;
  }
}
