import type { Database } from '@appointments/db';

/**
 * How long an Idempotency-Key's answer is kept. Clients retry within seconds or minutes; a day
 * also covers one that went offline mid-request and retries the next morning.
 */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 3_600_000;

/**
 * How long a sent (or superseded) notification stays in the outbox, for admins looking into what
 * somebody was told. Failed ones stay until retried.
 */
export const NOTIFICATION_RETENTION_MS = 90 * 86_400_000;

/** How long an expired account link is kept, so that following it says "expired" rather than "never issued". */
export const ACCOUNT_TOKEN_GRACE_MS = 86_400_000;

/**
 * Deletes what has expired, all of which would otherwise pile up for ever: sessions (validation
 * already refuses them; this reclaims their rows), the login throttle's past windows,
 * Idempotency-Key answers older than IDEMPOTENCY_KEY_LIFETIME_MS, notifications finished and
 * due more than NOTIFICATION_RETENTION_MS ago (every booking makes four), recorded changes
 * processed that long ago (one per change; the history keeps what happened), and webhook events
 * that long ago that every endpoint received (failed deliveries stay until retried), account links
 * a day past their expiry (until then a used or expired link answers 410, not 404), and account
 * emails sent or failed NOTIFICATION_RETENTION_MS ago.
 */
export async function sweepExpired(
  db: Database,
  now: Date,
): Promise<{ sessions: number; idempotencyKeys: number; notifications: number; changes: number; webhookEvents: number; attemptWindows: number; accountTokens: number; accountMessages: number }> {
  const repos = db.fork();
  const sessions = await repos.sessions.deleteExpired(now);
  const attemptWindows = await repos.attemptWindows.deleteExpired(now);
  const idempotencyKeys = await repos.idempotency.deleteOlderThan(new Date(now.getTime() - IDEMPOTENCY_KEY_LIFETIME_MS));
  const notifications = await repos.notifications.pruneFinished(new Date(now.getTime() - NOTIFICATION_RETENTION_MS));
  const changes = await repos.appointmentChanges.pruneProcessed(new Date(now.getTime() - NOTIFICATION_RETENTION_MS));
  const webhookEvents = await repos.webhookDeliveries.pruneDelivered(new Date(now.getTime() - NOTIFICATION_RETENTION_MS));
  const accountTokens = await repos.accountTokens.pruneExpired(new Date(now.getTime() - ACCOUNT_TOKEN_GRACE_MS));
  const accountMessages = await repos.accountMessages.pruneFinished(new Date(now.getTime() - NOTIFICATION_RETENTION_MS));
  return { sessions, idempotencyKeys, notifications, changes, webhookEvents, attemptWindows, accountTokens, accountMessages };
}
