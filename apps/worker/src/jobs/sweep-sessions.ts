import type { Database } from '@appointments/db';

/** Deletes expired sessions. Validation already refuses them; this only reclaims their rows. */
export async function sweepSessions(db: Database, now: Date): Promise<number> {
  return db.fork().sessions.deleteExpired(now);
}
