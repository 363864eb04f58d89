/**
 * Promises that settle once a condition over some growing state holds (messages arrived, ids
 * counted), re-checked whenever the state's owner calls `wake()`; they reject after `timeoutMs`.
 */
export function createWaiters() {
  const checks = new Set<() => void>();
  return {
    wake(): void {
      for (const check of checks) check();
    },
    /** Resolves with `ready()`'s value once it is not undefined. */
    until<T>(ready: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const value = ready();
          if (value === undefined) return;
          done();
          resolve(value);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(failure()));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          checks.delete(check);
        };
        checks.add(check);
        check();
      });
    },
  };
}

/**
 * Polls `probe` every 100 ms until it gives a value (not undefined), for state nobody announces
 * (rows behind an API, messages a worker sends); throws naming `what` after `timeoutMs`.
 */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
