/** Prints a configuration error and exits: an app never starts half-configured. */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

export interface ShutdownLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Runs `stop` on the first SIGTERM/SIGINT and exits 0 (1 if stopping failed). Later signals are
 * ignored: a signal sent both to the process group and by a launcher must not cut shutdown short.
 */
export function stopOnSignals(stop: () => Promise<void>, log: ShutdownLog, message: string): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, message);
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

/** What each app tells `pnpm start` (scripts/start.mjs) once it serves: the launcher's only readiness signal. */
export type ReadyMessage =
  | { readonly type: 'ready'; readonly service: 'api'; readonly url: string; readonly database: string; readonly admin?: string }
  | { readonly type: 'ready'; readonly service: 'worker'; readonly mail: string; readonly health: string };

/**
 * Sends `message` over the IPC channel a launcher opened, never through the logs, so readiness does
 * not depend on LOG_LEVEL. Started alone or by a supervisor (no channel) it does nothing; a launcher
 * already gone is no reason to crash (the callback takes the error instead of an 'error' event).
 */
export function reportReady(message: ReadyMessage): void {
  process.send?.(message, undefined, {}, () => undefined);
}
