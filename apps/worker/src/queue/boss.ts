import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PgBoss, fromPglite, type ConstructorOptions, type JobResult, type JobWithMetadata, type Queue as QueueSettings } from 'pg-boss';
import type { Logger } from 'pino';
import { boundedClient, DEFAULT_QUERY_TIMEOUT_MS, parseDatabaseUrl, postgresConnectionOptions } from '@appointments/db';
import { lockDir } from './pglite-lock.ts';
import { openPglite } from './pglite.ts';
import { reclaimOrphans, SCHEMA } from './orphans.ts';

export const SEND_QUEUE = 'notification.send';
export const DEAD_QUEUE = 'notification.dead';

export type QueueTarget = { kind: 'postgresql'; url: string } | { kind: 'pglite'; dir: string };

export interface QueueOptions {
  target: QueueTarget;
  /** Attempts after the first; then the job moves to the dead-letter queue. */
  retryLimit: number;
  /** First retry delay; doubles (with jitter) on each further retry. */
  retryDelaySeconds: number;
  /** A job active longer than this (hung handler, killed worker) is failed and retried. */
  jobTimeoutSeconds: number;
  /** PostgreSQL: a query unanswered this long fails and loses its connection (a hung server or network). */
  queryTimeoutMs?: number;
  logger: Logger;
}

export interface SendJob {
  id: string;
  notificationId: number;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
  /** Aborted when the job timed out or the worker is shutting down: stop sending. */
  signal: AbortSignal;
}

export interface NewSendJob {
  notificationId: number;
  /** At most one job per key is queued, retrying or running (the queue's exclusive policy). */
  key: string;
  startAfter: Date;
}

export interface DeadJob {
  id: string;
  notificationId: number;
  /** The last failure of the original job. */
  error: string;
}

/** The worker's view of the queue; nothing else in the worker depends on pg-boss. */
export interface Queue {
  /** Creates the jobs in one statement; returns how many were new (a key already queued, retrying or running is skipped). */
  enqueue(jobs: readonly NewSendJob[]): Promise<number>;
  /** `concurrency` jobs at once, each fetched with the next few of the queue (one fetch and one completion per batch). */
  work(handler: (job: SendJob) => Promise<void>, options: { concurrency: number }): Promise<void>;
  workDead(handler: (job: DeadJob) => Promise<void>): Promise<void>;
  /** A cluster-wide cron schedule (UTC; `name` only letters, digits and `_ . - /`): one instance runs each tick. */
  every(name: string, cron: string, handler: () => Promise<void>): Promise<void>;
  /** Stops fetching, waits up to `timeoutMs` for running jobs (those still running are failed, so retried), closes. */
  stop(timeoutMs: number): Promise<void>;
  isHealthy(): boolean;
}

interface NotificationData {
  notificationId: number;
}

/** `QUEUE_DATABASE_URL`, else a PostgreSQL `DATABASE_URL`, else an embedded PGlite under DATA_DIR. */
export function queueTarget(env: { QUEUE_DATABASE_URL?: string | undefined; DATABASE_URL?: string | undefined; DATA_DIR: string }): QueueTarget {
  if (env.QUEUE_DATABASE_URL) return { kind: 'postgresql', url: env.QUEUE_DATABASE_URL };
  if (env.DATABASE_URL && /^postgres/i.test(env.DATABASE_URL)) {
    const app = parseDatabaseUrl(env.DATABASE_URL, env.DATA_DIR);
    if (app.dialect === 'postgresql') return { kind: 'postgresql', url: app.url };
  }
  return { kind: 'pglite', dir: resolve(join(env.DATA_DIR, 'queue')) };
}

/** For messages and logs: never the password. */
export function describeTarget(target: QueueTarget): string {
  if (target.kind === 'pglite') return `embedded PGlite queue in ${target.dir}`;
  try {
    const url = new URL(target.url);
    url.password = '';
    return `PostgreSQL queue ${url.toString()}`;
  } catch {
    return 'PostgreSQL queue (unparseable URL)';
  }
}

/** pg's connection errors are often AggregateErrors with an empty message. */
function reason(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(reason).join('; ');
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

/** A dead-lettered job's `sourceOutput` is the failed job's output: a serialized Error, or `{ value }`. */
function failureMessage(output: unknown): string {
  if (output && typeof output === 'object') {
    const { message, value } = output as { message?: unknown; value?: unknown };
    if (typeof message === 'string') return message;
    if (typeof value === 'string') return value;
    if (value !== undefined) return failureMessage(value);
  }
  return output == null ? 'unknown error' : JSON.stringify(output);
}

function notificationId(data: unknown): number {
  const id = (data as Partial<NotificationData> | null)?.notificationId;
  if (!Number.isInteger(id)) throw new Error(`job data has no notificationId: ${JSON.stringify(data)}`);
  return id as number;
}

/** Error events closer together than this count as one outage (a connect or a query times out within seconds). */
const ERROR_STREAK_GAP_MS = 15_000;
/** An outage this long makes the queue unhealthy (a single blip does not). */
const UNHEALTHY_AFTER_MS = 10_000;
const ERROR_LOG_INTERVAL_MS = 10_000;
/** Jobs wait for their startAfter (the relay enqueues a few hours ahead), so keep them well beyond that. */
const RETENTION_SECONDS = 7 * 24 * 3600;
/**
 * A running send refreshes its job this often (pg-boss does it while the handler runs); a job not
 * refreshed for this long belongs to a dead worker and is retried. So a slow but live SMTP
 * transaction is never handed to a second worker, while a killed one is taken over within seconds.
 */
const HEARTBEAT_SECONDS = 10;
/**
 * How often a running job's heartbeat is refreshed on a shared PostgreSQL queue, and how often each
 * worker there looks for jobs whose heartbeat lapsed: a killed worker's jobs are sent again about
 * HEARTBEAT_SECONDS after the kill. An embedded queue needs neither: only one worker ever uses it,
 * and it takes over its dead predecessor's jobs when it opens.
 */
const SHARED_RECLAIM_SECONDS = 1;
/**
 * Jobs one fetch claims for one of the `concurrency` sending loops, which sends them one after the
 * other: fetch and completion cost one query per batch instead of one per email. Small, because a
 * batch's jobs stay claimed until the whole batch is done (a stopping or killed worker hands them
 * all back) and must share one job timeout.
 */
const SEND_BATCH = 10;

export async function openQueue(options: QueueOptions): Promise<Queue> {
  const { target, retryLimit, retryDelaySeconds, jobTimeoutSeconds, queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS, logger } = options;
  const where = describeTarget(target);
  // Expired jobs are found by the supervise pass, gated by both intervals (minimum 1 s each).
  const sweepSeconds = Math.min(5, Math.max(1, Math.ceil(jobTimeoutSeconds / 2)));
  const tuning: ConstructorOptions = {
    superviseIntervalSeconds: sweepSeconds,
    monitorIntervalSeconds: sweepSeconds,
    // Feeds the cached ready count that lets workers fetch back to back while there is a backlog.
    queueCacheIntervalSeconds: 5,
    cronMonitorIntervalSeconds: 5,
    cronWorkerIntervalSeconds: 1,
    instanceName: 'worker',
    schema: SCHEMA,
  };

  let release: (() => void) | undefined;
  let pglite: PGlite | undefined;
  let boss: PgBoss | undefined;
  try {
    if (target.kind === 'pglite') {
      release = lockDir(target.dir);
      pglite = await openPglite(target.dir);
      boss = new PgBoss({ ...tuning, db: fromPglite(pglite), backend: 'pglite' });
    } else {
      // The app database's connection settings and query bound, passed through to pg's Pool (pg-boss
      // types only some of its options). No statement_timeout: pg-boss's statements are its own.
      const pool = { ...postgresConnectionOptions(), Client: boundedClient({ ms: queryTimeoutMs }) };
      boss = new PgBoss({ ...tuning, ...pool, connectionString: target.url, application_name: 'appointments-worker' });
    }
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    release?.();
    throw new Error(`Could not open the ${where}: ${reason(error)}`, { cause: error });
  }
  const created = boss;

  const health = { started: false, stopped: false, streakStart: 0, lastError: 0, lastLogged: 0, unlogged: 0 };
  // pg-boss reports fetch, maintenance and connection failures as events and keeps going. During an
  // outage every poll fails, so repeats are summarised rather than logged twice a second.
  const onError = (error: unknown) => {
    const now = Date.now();
    if (now - health.lastError > ERROR_STREAK_GAP_MS) health.streakStart = now;
    health.lastError = now;
    if (now - health.lastLogged < ERROR_LOG_INTERVAL_MS) {
      health.unlogged++;
      return;
    }
    logger.error({ err: error, repeated: health.unlogged }, 'queue error');
    health.lastLogged = now;
    health.unlogged = 0;
  };
  created.on('error', onError);
  created.on('warning', (warning) => logger.warn({ data: warning.data }, warning.message));

  async function ensureQueue(name: string, settings: Omit<QueueSettings, 'name'>): Promise<void> {
    await created.createQueue(name, settings);
    // createQueue leaves an existing queue as it was: apply changed settings, refuse a changed policy.
    const existing = await created.getQueue(name);
    if (existing && existing.policy !== (settings.policy ?? 'standard')) {
      throw new Error(`queue ${name} has policy ${existing.policy}, expected ${settings.policy}; delete it to recreate`);
    }
    const { policy: _policy, deadLetter, ...rest } = settings;
    await created.updateQueue(name, { ...rest, deadLetter: deadLetter ?? null });
  }

  const heartbeatRefreshSeconds = target.kind === 'postgresql' ? SHARED_RECLAIM_SECONDS : undefined;
  /** Sends a dead worker's jobs again (`everyActive`: all active ones are, see reclaimOrphans), saying so. */
  const reclaim = async (everyActive: boolean) => {
    const count = await reclaimOrphans(created, [SEND_QUEUE, DEAD_QUEUE], everyActive);
    if (count > 0) logger.warn({ jobs: count }, 'jobs of a worker that died are sent again');
  };
  const retries = {
    retryLimit,
    retryDelay: retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: jobTimeoutSeconds,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    retentionSeconds: RETENTION_SECONDS,
  };
  try {
    await created.start();
    await ensureQueue(DEAD_QUEUE, { policy: 'standard', ...retries });
    // exclusive: at most one created, retry or active job per singletonKey (a partial unique index).
    await ensureQueue(SEND_QUEUE, { policy: 'exclusive', ...retries, deadLetter: DEAD_QUEUE });
    // Before anything is fetched: on an embedded queue every job still active is a dead worker's.
    await reclaim(target.kind === 'pglite');
  } catch (error) {
    await created.stop({ graceful: false, close: true }).catch(() => undefined);
    await pglite?.close().catch(() => undefined);
    release?.();
    throw new Error(`Could not open the ${where}: ${reason(error)}`, { cause: error });
  }
  health.started = true;
  logger.info({ queue: where }, 'queue started');

  // A shared queue's dead workers are known only by their lapsed heartbeats; one pass at a time.
  const reclaiming = { timer: undefined as NodeJS.Timeout | undefined, running: Promise.resolve() };
  const reclaimLater = () => {
    if (target.kind !== 'postgresql' || health.stopped) return;
    reclaiming.timer = setTimeout(() => {
      reclaiming.running = reclaim(false).catch(onError).finally(reclaimLater);
    }, SHARED_RECLAIM_SECONDS * 1000);
  };
  reclaimLater();

  return {
    async enqueue(jobs) {
      if (jobs.length === 0) return 0;
      const rows = jobs.map(({ notificationId, key, startAfter }) => ({ data: { notificationId } satisfies NotificationData, singletonKey: key, startAfter }));
      // Returns the ids of the jobs it created: ON CONFLICT DO NOTHING skips keys the exclusive index already holds.
      const ids = await created.insert(SEND_QUEUE, rows, { returnId: true });
      return ids?.length ?? 0;
    },

    async work(handler, { concurrency }) {
      await created.work(
        SEND_QUEUE,
        { includeMetadata: true, localConcurrency: concurrency, batchSize: SEND_BATCH, perJobResults: true, pollingIntervalSeconds: 0.5, burstWhenReadyExceeds: 1, heartbeatRefreshSeconds },
        async (jobs: JobWithMetadata<NotificationData>[]) => {
          const results: JobResult[] = [];
          for (const job of jobs) {
            // A job whose claim is gone (batch timed out, worker stopping) is not started; it is failed below and retried.
            if (job.signal.aborted || health.stopped) {
              results.push({ id: job.id, status: 'failed', output: new Error('not started: the worker is stopping or the batch timed out') });
              continue;
            }
            const sendJob: SendJob = { id: job.id, notificationId: notificationId(job.data), retryCount: job.retryCount, retryLimit: job.retryLimit, signal: job.signal };
            try {
              await handler(sendJob);
              results.push({ id: job.id, status: 'completed' });
            } catch (error) {
              const last = job.retryCount >= job.retryLimit;
              logger.warn({ err: error, jobId: job.id, notificationId: sendJob.notificationId, retryCount: job.retryCount }, last ? 'notification job failed; giving up' : 'notification job failed; will retry');
              results.push({ id: job.id, status: 'failed', output: error });
            }
          }
          return results;
        },
      );
    },

    async workDead(handler) {
      await created.work(DEAD_QUEUE, { includeMetadata: true }, async (jobs: JobWithMetadata<NotificationData>[]) => {
        for (const job of jobs) await handler({ id: job.id, notificationId: notificationId(job.data), error: failureMessage(job.sourceOutput) });
      });
    },

    async every(name, cron, handler) {
      // exclusive without a key: a tick is dropped while the previous one is still queued or running.
      // A tick left running by a dead worker must not block the next ones for pg-boss's default 15 min.
      await ensureQueue(name, { policy: 'exclusive', retryLimit: 0, retentionSeconds: 3600, expireInSeconds: 300, heartbeatSeconds: HEARTBEAT_SECONDS });
      // The cron pass is claimed by one instance per interval and files each tick under a singleton
      // slot, so a cluster creates one job per tick, which one worker fetches (SKIP LOCKED).
      await created.schedule(name, cron, null, { tz: 'UTC' });
      await created.work(name, { pollingIntervalSeconds: 1 }, async () => {
        await handler();
      });
    },

    async stop(timeoutMs) {
      if (health.stopped) return;
      health.stopped = true;
      clearTimeout(reclaiming.timer);
      await reclaiming.running;
      try {
        await created.stop({ graceful: true, timeout: timeoutMs, close: true });
        await pglite?.close();
      } finally {
        release?.();
      }
    },

    isHealthy() {
      const now = Date.now();
      const failing = now - health.lastError < ERROR_STREAK_GAP_MS && health.lastError - health.streakStart >= UNHEALTHY_AFTER_MS;
      return health.started && !health.stopped && !failing;
    },
  };
}
