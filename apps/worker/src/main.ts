import { pino } from 'pino';
import { exitOnConfigError, reportReady, stopOnSignals } from '@appointments/runtime';
import { loadEnv } from './env.ts';
import { startWorker } from './worker.ts';

const env = exitOnConfigError(loadEnv);
const logger = pino({ level: env.LOG_LEVEL, base: { service: 'worker' } });

const starting = startWorker(env, logger);
// Registered before start-up finishes, so a SIGTERM during it still shuts down in order.
stopOnSignals(async () => (await starting).stop(), logger, 'worker stopping');
try {
  const { mail, healthUrl } = await starting;
  reportReady({ type: 'ready', service: 'worker', mail, health: healthUrl });
} catch (error) {
  // One line a supervisor's log shows; a non-zero exit so it restarts us (with its own backoff).
  logger.fatal({ err: error }, (error as Error).message);
  process.exit(1);
}
