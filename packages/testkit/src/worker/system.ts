import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { pino, type Logger } from 'pino';
import { ADMIN, login, restCall, setUpAllDayStaff } from '../api/rest.ts';
import { startApiProcess, type Dialect, type RunningApi } from '../api/start.ts';
import { sinkMailEnv, startSmtpSink, type SmtpSink } from '../smtp/sink.ts';

export type Engine = Dialect;

/** An email about an appointment (a notification); account emails, such as a new client's verification link, are not. */
export const isAppointmentEmail = (mail: ParsedMail): boolean => mail.headers.has('x-notification-id');

/**
 * The worker's own code, handed in by its tests: the kit cannot import apps (they depend on it,
 * and turbo refuses a cyclic package graph).
 */
export interface WorkerCode<E, W extends { stop(): Promise<void> }> {
  parseEnv(raw: Record<string, string | undefined>): E;
  startWorker(env: E, logger: Logger): Promise<W>;
}

/** The worker's environment for a test: mail to the sink, the API's database, fast polling and retries. */
function workerEnvVars(api: RunningApi, sink: SmtpSink, dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: api.databaseUrl,
    ...sinkMailEnv(sink.port),
    WORKER_PORT: '0',
    NOTIFY_POLL_MS: '100',
    NOTIFY_RETRY_DELAY_SECONDS: '1',
    NOTIFY_JOB_TIMEOUT_SECONDS: '5',
    NOTIFY_RETRY_LIMIT: '2',
    REMINDER_LEAD_MINUTES: '1',
    ...extra,
  };
}

export interface TestSystem<W> {
  readonly api: RunningApi;
  readonly sink: SmtpSink;
  readonly dataDir: string;
  /** Starts a worker in this process (more than one may run on PostgreSQL). */
  startWorker(extra?: Record<string, string>): Promise<W>;
  /** The environment a worker process of this system runs with. */
  workerEnvVars(extra?: Record<string, string>): Record<string, string>;
  /** A REST call as `token`; the JSON body, or throws with the error body. */
  call<T>(token: string | null, method: string, path: string, body?: unknown): Promise<T>;
  adminToken: string;
  close(): Promise<void>;
}

/** A real API (its own process), a real SMTP sink and workers on one database: the whole notification path. */
export async function startTestSystem<E, W extends { stop(): Promise<void> }>(
  worker: WorkerCode<E, W>,
  engine: Engine,
  apiEnv: Record<string, string> = {},
): Promise<TestSystem<W>> {
  const api = await startApiProcess(engine, apiEnv);
  const sink = await startSmtpSink();
  const dataDir = mkdtempSync(join(tmpdir(), 'appointments-worker-'));
  const workers: W[] = [];
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  const call = <T>(token: string | null, method: string, path: string, body?: unknown) => restCall<T>(api.url, token, method, path, body);
  const adminToken = await login(api.url, ADMIN.email, ADMIN.password);

  return {
    api,
    sink,
    dataDir,
    adminToken,
    call,
    workerEnvVars: (extra = {}) => workerEnvVars(api, sink, dataDir, extra),
    async startWorker(extra = {}) {
      const running = await worker.startWorker(worker.parseEnv(workerEnvVars(api, sink, dataDir, extra)), logger);
      workers.push(running);
      return running;
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
      await sink.close();
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const HOUR = 3_600_000;

/** A staff member with round-the-clock hours and a client, on a fresh system; `bookMany` books as the client. */
export async function staffAndClient(sys: TestSystem<unknown>): Promise<{ bookMany(count: number): Promise<void> }> {
  const { staffId, client, next: base } = await setUpAllDayStaff(sys.api, 'correct-horse-1');
  /** `count` one-hour bookings, days ahead (their reminders are far outside the queue's lookahead). */
  let next = 0;
  const bookMany = async (count: number) => {
    for (let i = next; i < next + count; i++) {
      await sys.call(client, 'POST', '/api/v1/appointments', {
        staff_id: staffId,
        start_time: new Date(base + i * HOUR).toISOString(),
        end_time: new Date(base + (i + 1) * HOUR).toISOString(),
      });
    }
    next += count;
  };
  return { bookMany };
}
