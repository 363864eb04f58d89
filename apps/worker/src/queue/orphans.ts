import type { PgBoss } from 'pg-boss';

/** pg-boss's schema: the queue is created in it explicitly, so the statements below and pg-boss agree. */
export const SCHEMA = 'pgboss';
/** The output pg-boss's supervisor gives a job whose heartbeat lapsed. */
const HEARTBEAT_LOST = 'job heartbeat timeout';
const WORKER_DIED = 'the worker running it died';

/**
 * Jobs of a dead worker. pg-boss's supervisor fails them once their heartbeat lapsed and retries
 * them after the queue's retry delay, a backoff meant for a failing mail server (30 s to a minute
 * by default): a restarted worker sat idle that long, then got them back one by one. Here they are
 * failed through pg-boss at once (so a crash still counts as an attempt, and a job that keeps
 * killing its worker still ends in the dead-letter queue), and every retry owed to a lost worker,
 * whoever failed it, is made due now. `everyActive`: no other worker can be running any of them
 * (the embedded queue's lock), so they are not waited on. Returns how many were made due.
 */
export async function reclaimOrphans(boss: PgBoss, names: readonly string[], everyActive: boolean): Promise<number> {
  const db = boss.getDb();
  const { rows } = await db.executeSql(
    `SELECT id, name, retry_count AS "retryCount" FROM ${SCHEMA}.job
     WHERE name = ANY($1::text[]) AND state = 'active'
       AND ($2::boolean OR heartbeat_on + heartbeat_seconds * interval '1 second' < now())`,
    [names, everyActive],
  );
  const orphans = rows as { id: string; name: string; retryCount: number }[];
  for (const name of names) {
    // Fenced by attempt: a job fetched again since the SELECT is left alone.
    const attempts = orphans.filter((job) => job.name === name).map(({ id, retryCount }) => ({ id, retryCount }));
    if (attempts.length > 0) await boss.fail(name, attempts, { value: { message: WORKER_DIED } });
  }
  const { rows: due } = await db.executeSql(
    `UPDATE ${SCHEMA}.job SET start_after = now()
     WHERE name = ANY($1::text[]) AND state = 'retry' AND start_after > now() AND output->'value'->>'message' = ANY($2::text[])
     RETURNING id`,
    [names, [HEARTBEAT_LOST, WORKER_DIED]],
  );
  return due.length;
}
