import type { Logger } from 'pino';
import { Database } from '@appointments/db';
import { manageTokens, manageUrlFor, publicUrlOf, resolveSecretKey, type ManageGrant } from '@appointments/runtime';
import { CLAIM_MS, startAccountMessages, type AccountMessageLoop } from './accounts/account-messages.ts';
import { brandingFrom, type WorkerEnv } from './env.ts';
import { startHealthServer } from './health.ts';
import { sweepExpired } from './jobs/sweep-expired.ts';
import { createMailer } from './mail/mailer.ts';
import { createRenderer } from './mail/render.ts';
import { deliver, markDead } from './notifications/deliver.ts';
import { processChanges, relayPending, sweep } from './notifications/dispatch.ts';
import { describeTarget, openQueue, queueTarget, type Queue } from './queue/boss.ts';
import { startDeliveries, type DeliveryLoop } from './webhooks/deliveries.ts';

export interface RunningWorker {
  /** Where GET /healthz answers. */
  readonly healthUrl: string;
  /** Where emails go: the SMTP server, or the outbox directory. */
  readonly mail: string;
  /** Stops fetching, lets running sends finish (bounded by SHUTDOWN_TIMEOUT_SECONDS), closes everything. */
  stop(): Promise<void>;
}

/** How long, after the queue gave up on them at shutdown, sends still running may finish and be recorded. */
const STRAGGLER_GRACE_MS = 5_000;
/** Client events (blocks, unblocks) fanned out to webhooks per relay pass at most. */
const CLIENT_EVENTS_PER_PASS = 1_000;

/** Fails fast and clearly when the database is unreachable or not yet migrated (the API migrates it). */
async function openDatabase(env: WorkerEnv): Promise<Database> {
  let db: Database | undefined;
  try {
    db = await Database.open(env.database, { migrate: false, queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_SECONDS * 1000 });
    await db.fork().notifications.list({ offset: 0, limit: 1 });
    return db;
  } catch (error) {
    await db?.close().catch(() => undefined);
    const where = env.database.dialect === 'sqlite' ? env.database.path : 'the PostgreSQL database';
    throw new Error(`Could not use ${where}: ${(error as Error).message} (is it reachable, and has the API migrated it?)`, { cause: error });
  }
}

/**
 * The notification worker: turns recorded changes into notifications and webhook deliveries,
 * relays notifications into pg-boss, sends each email once it is due, records dead letters, posts
 * webhooks, sends account emails (password reset, verification), and runs the periodic sweeps. Nothing is fetched from the queue or claimed until every
 * part is up, and a failed start closes what it opened.
 */
export async function startWorker(env: WorkerEnv, logger: Logger): Promise<RunningWorker> {
  const relay = { lastOk: Date.now(), stopped: false, timer: undefined as NodeJS.Timeout | undefined, running: Promise.resolve() };
  let queue: Queue | undefined;
  let webhooks: DeliveryLoop | undefined;
  let accounts: AccountMessageLoop | undefined;
  const staleAfterMs = Math.max(30_000, env.NOTIFY_POLL_MS * 5);
  const target = queueTarget(env);
  // The webhook sender may go that long without a claim or a record while every slot waits on a slow endpoint.
  const webhooksStaleAfterMs = Math.max(staleAfterMs, 2 * env.WEBHOOK_TIMEOUT_SECONDS * 1000);
  const health = await startHealthServer(env.WORKER_HOST, env.WORKER_PORT, logger, () => {
    const webhooksAge = webhooks ? Date.now() - webhooks.lastOk : Infinity;
    // Its passes wait for their sends, each bounded by the claim.
    const accountsAge = accounts ? Date.now() - accounts.lastOk : Infinity;
    return {
      healthy: queue?.isHealthy() === true && Date.now() - relay.lastOk < staleAfterMs && webhooksAge < webhooksStaleAfterMs && accountsAge < staleAfterMs + CLAIM_MS,
      details: { queue: target.kind, relay_age_ms: Date.now() - relay.lastOk, webhooks_age_ms: webhooks ? webhooksAge : null, account_emails_age_ms: accounts ? accountsAge : null },
    };
  });
  const closeHealth = () => new Promise((resolve) => health.server.close(resolve));
  const db = await openDatabase(env).catch(async (error: unknown) => {
    await closeHealth();
    throw error;
  });
  const mailer = createMailer(env);
  const settings = { reminderLeadMinutes: env.REMINDER_LEAD_MINUTES };
  // Without SECRET_KEY (development), the API's own key from DATA_DIR: links the API accepts.
  const tokens = manageTokens(resolveSecretKey(env.SECRET_KEY, env.DATA_DIR));
  const manageUrl = manageUrlFor(publicUrlOf(env), env.MANAGE_URL_TEMPLATE);
  const delivery = {
    db,
    mailer,
    renderer: createRenderer(env.EMAIL_TEMPLATES_DIR),
    logger,
    calendar: { uidDomain: env.CALENDAR_UID_DOMAIN, organizationName: env.ORGANIZATION_NAME, includeNotes: env.NOTES_IN_CALENDAR },
    notesInEmail: env.NOTES_IN_NOTIFICATIONS,
    branding: brandingFrom(env),
    defaultLocale: env.DEFAULT_LOCALE,
    manageUrl: (grant: ManageGrant) => manageUrl(tokens.issue(grant)),
  };
  const inFlight = new Set<Promise<unknown>>();
  const sessions = setInterval(() => {
    sweepExpired(db, new Date()).then(
      (deleted) => Object.values(deleted).some((n) => n > 0) && logger.info(deleted, 'expired sessions, throttle windows, idempotency keys and old notifications removed'),
      (error: unknown) => logger.warn({ err: error }, 'expiry sweep failed; retrying next round'),
    );
  }, env.SESSION_SWEEP_MINUTES * 60_000);

  const stop = async () => {
    relay.stopped = true;
    clearTimeout(relay.timer);
    clearInterval(sessions);
    await relay.running;
    // Webhook POSTs in flight finish and are recorded while the queue drains its sends.
    const posting = webhooks?.stop(env.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    const mailing = accounts?.stop(env.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    await queue?.stop(env.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    await posting;
    await mailing;
    // The queue has given up on sends still running (they will be retried); let them record what
    // happened before the database closes, so an accepted email is not sent again.
    await Promise.race([Promise.allSettled(inFlight), new Promise((resolve) => setTimeout(resolve, STRAGGLER_GRACE_MS).unref())]);
    mailer.close();
    await closeHealth();
    await db.close();
  };

  try {
    queue = await openQueue({
      target,
      retryLimit: env.NOTIFY_RETRY_LIMIT,
      retryDelaySeconds: env.NOTIFY_RETRY_DELAY_SECONDS,
      jobTimeoutSeconds: env.NOTIFY_JOB_TIMEOUT_SECONDS,
      queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_SECONDS * 1000,
      logger,
    });
    const open = queue;
    const runSweep = async () => {
      const result = await sweep(db, open, settings, new Date(), logger);
      if (result.remindersCreated > 0 || result.jobsRecreated > 0) logger.info(result, 'notification sweep repaired the outbox');
    };
    await runSweep().catch((error: unknown) => logger.warn({ err: error }, 'first notification sweep failed'));
    await open.work(
      (job) => {
        const log = logger.child({ jobId: job.id, attempt: job.retryCount + 1 });
        const sending: Promise<unknown> = deliver(delivery, job.notificationId, job.signal, log).finally(() => inFlight.delete(sending));
        inFlight.add(sending);
        return sending.then(() => undefined);
      },
      { concurrency: env.NOTIFY_CONCURRENCY },
    );
    await open.workDead(async (job) => {
      if (await markDead(db, job.notificationId, job.error)) logger.error({ jobId: job.id, notificationId: job.notificationId, error: job.error }, 'notification failed for good');
    });
    await open.every('notification.sweep', '* * * * *', runSweep);
    webhooks = startDeliveries({
      db,
      logger: logger.child({ part: 'webhooks' }),
      pollMs: env.NOTIFY_POLL_MS,
      concurrency: env.WEBHOOK_CONCURRENCY,
      send: {
        timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000,
        allowPrivate: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
        retry: { baseDelaySeconds: env.WEBHOOK_RETRY_DELAY_SECONDS, limit: env.WEBHOOK_RETRY_LIMIT },
      },
    });
    accounts = startAccountMessages({
      db,
      mailer,
      renderer: delivery.renderer,
      language: { defaultLocale: env.DEFAULT_LOCALE, branding: delivery.branding },
      logger: logger.child({ part: 'account emails' }),
      pollMs: env.NOTIFY_POLL_MS,
      concurrency: env.NOTIFY_CONCURRENCY,
      retry: { baseDelaySeconds: env.NOTIFY_RETRY_DELAY_SECONDS, limit: env.NOTIFY_RETRY_LIMIT },
    });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  // The relay: one pass at a time, every NOTIFY_POLL_MS, in three steps: recorded changes become
  // notifications and webhook deliveries, client events become webhook deliveries, then due
  // notifications become jobs (this pass's new confirmations among them). A failed step is logged
  // and retried next pass; the others still run, and the pass counts as recent for /healthz only
  // when all succeeded. A pass that fanned anything out wakes the webhook sender at once.
  const steps = [
    { step: 'changes', run: () => processChanges(db, settings), done: 'changes turned into notifications and webhook deliveries', fansOut: true },
    {
      step: 'client events',
      run: () => db.fork().webhookDeliveries.fanOutUserEvents(CLIENT_EVENTS_PER_PASS, new Date()),
      done: 'client events turned into webhook deliveries',
      fansOut: true,
    },
    { step: 'notifications', run: () => relayPending(db, queue!, new Date()), done: 'notifications queued', fansOut: false },
  ];
  const relayOnce = async () => {
    let ok = true;
    let fanned = false;
    for (const { step, run, done, fansOut } of steps) {
      try {
        const count = await run();
        if (count > 0) logger.debug({ count }, done);
        fanned ||= fansOut && count > 0;
      } catch (error) {
        ok = false;
        logger.warn({ err: error, step }, 'outbox relay failed; retrying');
      }
    }
    if (fanned) webhooks?.wake();
    if (ok) relay.lastOk = Date.now();
    if (!relay.stopped) relay.timer = setTimeout(() => (relay.running = relayOnce()), env.NOTIFY_POLL_MS);
  };
  relay.running = relayOnce();

  logger.info({ queue: describeTarget(target), mail: mailer.describe, health: `${health.url}/healthz`, database: db.dialect }, 'worker started');
  if (!env.MAIL_SERVER) logger.info({ outbox: mailer.describe }, `no MAIL_SERVER set: emails are written as .eml files to ${mailer.describe}`);

  let stopped: Promise<void> | undefined;
  return { healthUrl: `${health.url}/healthz`, mail: mailer.describe, stop: () => (stopped ??= stop()) };
}
