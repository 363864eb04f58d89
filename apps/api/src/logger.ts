import { appLogger } from '@appointments/runtime';

/** The slice of a logger the app uses; keeps pino's types out of the published router type. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  isLevelEnabled(level: 'info'): boolean;
}

export function createLogger(level: string, nodeEnv: string): Logger & { level: string } {
  return appLogger('api', level, nodeEnv);
}
