import { pino } from 'pino';
import { Database } from '@appointments/db';
import { loadEnv } from './env.ts';
import { sweepSessions } from './jobs/sweep-sessions.ts';

let env;
try {
  env = loadEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const logger = pino({ level: env.LOG_LEVEL, base: { service: 'worker' } });
// The API owns migrations; the worker waits for them rather than racing to apply them.
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

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // `on`, not `once`: a second signal (group + launcher) must not kill the process mid-shutdown.
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping');
    clearInterval(timer);
    db.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
