import { appLogger, exitOnConfigError, portInUseMessage, reportReady, stopOnSignals } from '@appointments/runtime';
import { loadEnv } from './env.ts';
import { startWorker } from './worker.ts';

const env = exitOnConfigError(loadEnv);
const logger = appLogger('worker', env.LOG_LEVEL, env.NODE_ENV);

const starting = startWorker(env, logger);
// Registered before start-up finishes, so a SIGTERM during it still shuts down in order.
stopOnSignals(async () => (await starting).stop(), logger, 'worker stopping');
try {
  const { mail, healthUrl } = await starting;
  reportReady({ type: 'ready', service: 'worker', mail, health: healthUrl });
} catch (error) {
  // One line a supervisor's log shows; a non-zero exit so it restarts us (with its own backoff).
  // A taken health port is a setting to change: that line names it, without a stack.
  const taken = portInUseMessage(error, 'WORKER_PORT', env.WORKER_PORT);
  if (taken) console.error(taken);
  else logger.fatal({ err: error }, (error as Error).message);
  process.exit(1);
}
