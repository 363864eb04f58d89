import { exitOnConfigError, reportReady, stopOnSignals } from '@appointments/runtime';
import { loadEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { createServer } from './server.ts';

const env = exitOnConfigError(loadEnv);
const logger = createLogger(env.LOG_LEVEL);
try {
  const api = await createServer({ env, logger });
  const url = await api.start();
  stopOnSignals(() => api.stop(), logger, 'shutting down');
  reportReady({ type: 'ready', service: 'api', url, database: api.services.db.dialect, admin: api.createdAdmin });
} catch (error) {
  // Port taken, database unreachable, …: one JSON line saying so, then a non-zero exit.
  logger.error({ err: error }, 'API failed to start');
  process.exit(1);
}
