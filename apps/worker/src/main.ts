import { pino } from 'pino';
import { Database, exitOnConfigError, stopOnSignals } from '@appointments/db';
import { loadEnv } from './env.ts';
import { sweepSessions } from './jobs/sweep-sessions.ts';

const env = exitOnConfigError(loadEnv);
const logger = pino({ level: env.LOG_LEVEL, base: { service: 'worker' } });
// The API owns migrations; the worker never applies them, so two processes never race on them.
const db = await Database.open(env.database, { migrate: false });

async function sweep() {
  try {
    const deleted = await sweepSessions(db, new Date());
    if (deleted > 0) logger.info({ deleted }, 'expired sessions removed');
  } catch (error) {
    logger.warn({ err: error }, 'session sweep failed; retrying next round');
  }
}
const timer = setInterval(sweep, env.SESSION_SWEEP_MINUTES * 60_000);
logger.info({ database: db.dialect }, 'worker started');
void sweep();

stopOnSignals(
  async () => {
    clearInterval(timer);
    await db.close();
  },
  logger,
  'worker stopping',
);
