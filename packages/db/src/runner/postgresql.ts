import type { MikroORM } from '@mikro-orm/core';
import type { QueryBound } from './bounded-client.ts';

/** How long a PostgreSQL connect (or a wait for a pooled connection) may take before the request fails as unavailable. */
const CONNECT_TIMEOUT_MS = 3_000;
/** An idle connection is probed after this long without traffic (then every second, by Node), so one to a vanished host is dropped in under a minute, not the OS's 2 hours. */
const KEEPALIVE_DELAY_MS = 10_000;
/** How long one PostgreSQL query may take, by default: with the connect timeout, every request is answered within 10 s. */
export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;

/**
 * pg's connection settings for every pool of ours (the app's and the worker's queue). Without a
 * connect timeout a request waits for a connection (or a free pool slot) as long as the OS keeps
 * trying: during an outage that is minutes, not an answer. With `statementMs`, the server protects
 * itself too, as the connection opens: a statement we stopped waiting for is cancelled after that
 * long (statement_timeout), and a session idle in a transaction for twice that is ended
 * (idle_in_transaction_session_timeout), giving back its locks: one whose client gave up over a
 * hung network would otherwise hold them until TCP notices, hours. None of our transactions waits
 * between its statements for anything but the database.
 */
export function postgresConnectionOptions(statementMs?: number) {
  return {
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    ...(statementMs && { statement_timeout: statementMs, idle_in_transaction_session_timeout: 2 * statementMs }),
  };
}

/**
 * Applies pending migrations in one transaction, free of the query timeouts: building an index on
 * a large table may take minutes, and nothing is served before they are done.
 */
export async function migrateUnbounded(orm: MikroORM, bound: QueryBound): Promise<void> {
  const limit = bound.ms;
  bound.ms = 0;
  try {
    const connection = orm.em.getConnection();
    await connection.transactional(async (transaction) => {
      for (const setting of ['statement_timeout', 'idle_in_transaction_session_timeout']) {
        await connection.execute(`set local ${setting} = 0`, [], 'run', transaction);
      }
      await orm.migrator.up({ transaction });
    });
  } finally {
    bound.ms = limit;
  }
}
