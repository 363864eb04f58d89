import { exitOnConfigError, portInUseMessage, reportReady, stopOnSignals } from '@appointments/runtime';
import { loadEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { createServer } from './server.ts';

const env = exitOnConfigError(loadEnv);
const logger = createLogger(env.LOG_LEVEL, env.NODE_ENV);
try {
  const api = await createServer({ env, logger });
  const url = await api.start();
  stopOnSignals(() => api.stop(), logger, 'shutting down');
  reportReady({ type: 'ready', service: 'api', url, database: api.services.db.dialect, admin: api.createdAdmin });
} catch (error) {
  // A taken port is a setting to change, said in one line; anything else (database unreachable, …)
  // is one log entry with its stack. Either way a non-zero exit.
  const taken = portInUseMessage(error, 'PORT', env.PORT);
  if (taken) console.error(taken);
  else logger.error({ err: error }, 'API failed to start');
  process.exit(1);
}
