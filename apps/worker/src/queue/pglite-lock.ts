import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Dirs this process holds, so a lock naming our own pid is told apart from a previous life's (pid 1 in a container). */
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>/worker.lock` for this process: PGlite is one embedded PostgreSQL, and two
 * processes on one data dir would corrupt it. A lock left by a dead process is taken over.
 * Returns the release function.
 */
export function lockDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'worker.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // Written aside, then linked into place: the lock appears with its pid in it, never empty.
      const temp = `${path}.${process.pid}.${attempt}`;
      writeFileSync(temp, String(process.pid));
      try {
        linkSync(temp, path);
      } finally {
        rmSync(temp, { force: true });
      }
      held.add(dir);
      return () => {
        held.delete(dir);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    const ours = pid === process.pid;
    if ((ours && held.has(dir)) || (!ours && Number.isInteger(pid) && pid > 0 && isAlive(pid))) {
      throw new Error(`The queue in ${dir} is in use by worker process ${pid}; only one worker may use an embedded queue. Stop it, or set QUEUE_DATABASE_URL to share a PostgreSQL queue.`);
    }
    // Stale (its process is gone) or unreadable: remove it and race for it again.
    rmSync(path, { force: true });
  }
  throw new Error(`Could not take the queue lock ${path}`);
}
