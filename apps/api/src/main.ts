import { exitOnConfigError, stopOnSignals } from '@appointments/db';
import { loadEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { createServer } from './server.ts';

const env = exitOnConfigError(loadEnv);
const logger = createLogger(env.LOG_LEVEL);
const api = await createServer({ env, logger });
await api.start();
stopOnSignals(() => api.stop(), logger, 'shutting down');
