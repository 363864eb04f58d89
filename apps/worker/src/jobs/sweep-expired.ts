import type { Database } from '@appointments/db';

/**
 * How long an Idempotency-Key's answer is kept. Clients retry within seconds or minutes; a day
 * also covers one that went offline mid-request and retries the next morning.
 */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 3_600_000;

/**
 * Deletes what has expired: sessions (validation already refuses them; this reclaims their rows)
 * and Idempotency-Key answers older than IDEMPOTENCY_KEY_LIFETIME_MS, which would otherwise pile
 * up with every booking sent with a key.
 */
export async function sweepExpired(db: Database, now: Date): Promise<{ sessions: number; idempotencyKeys: number }> {
  const repos = db.fork();
  const sessions = await repos.sessions.deleteExpired(now);
  const idempotencyKeys = await repos.idempotency.deleteOlderThan(new Date(now.getTime() - IDEMPOTENCY_KEY_LIFETIME_MS));
  return { sessions, idempotencyKeys };
}
