/** The part of better-sqlite3 the busy guard uses. */
export interface BusyNative {
  pragma(source: string, options?: { simple: boolean }): unknown;
}

/** How long writes fail at once after one waited out the busy timeout, unless one gets through sooner. */
const FAIL_FAST_MS = 5_000;

export interface BusyGuard {
  /** Runs `work` (a statement, or a whole synchronous transaction); `writes`: its success proves the lock free. */
  observe<T>(work: () => T, writes: boolean): T;
}

const guards = new WeakMap<object, BusyGuard>();

/**
 * better-sqlite3 waits for another connection's write lock synchronously (the busy timeout), and
 * the whole process waits with it: with the lock held elsewhere (a backup, a stuck process), each
 * queued write would wait it out in turn, the fourth answered after 20 s. Once one write has
 * waited it out, the others fail at once (busy timeout 0: 503, retry later) until a write gets
 * through or FAIL_FAST_MS pass. Only SQLITE_BUSY opens it: the full wait, not a snapshot that
 * could not be upgraded (SQLITE_BUSY_SNAPSHOT), which ordinary contention gives.
 */
export function busyGuardOf(native: BusyNative): BusyGuard {
  const known = guards.get(native);
  if (known) return known;
  const waitMs = Number(native.pragma('busy_timeout', { simple: true }));
  let timer: NodeJS.Timeout | undefined;
  const restore = () => {
    clearTimeout(timer);
    timer = undefined;
    native.pragma(`busy_timeout = ${waitMs}`);
  };
  const guard: BusyGuard = {
    observe(work, writes) {
      try {
        const result = work();
        if (writes && timer) restore();
        return result;
      } catch (error) {
        if (!timer && (error as { code?: unknown }).code === 'SQLITE_BUSY') {
          native.pragma('busy_timeout = 0');
          timer = setTimeout(restore, FAIL_FAST_MS).unref();
        }
        throw error;
      }
    },
  };
  guards.set(native, guard);
  return guard;
}
