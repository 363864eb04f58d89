import { pino, type Logger } from 'pino';
import { consoleStyle, readableDestination } from './console.ts';

/**
 * An app's logger on stdout: pino's JSON lines, exactly, for pipes, files and production; readable
 * lines on a developer's terminal (see consoleStyle).
 */
export function appLogger(service: string, level: string, nodeEnv: string | undefined): Logger {
  const options = { level, base: { service } };
  const style = consoleStyle(process.stdout, nodeEnv);
  return style === 'json' ? pino(options) : pino(options, readableDestination(process.stdout, style === 'colour'));
}
