import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const API_MAIN = fileURLToPath(new URL('../../apps/api/src/main.ts', import.meta.url));
export const WORKER_MAIN = fileURLToPath(new URL('../../apps/worker/src/main.ts', import.meta.url));
const TASKSET = '/usr/bin/taskset';

/** On a 2-core machine the load generator and the server under test each get a core (when `taskset` exists). */
export const canPin = existsSync(TASKSET);

/** Keeps this process (the load generator) and the threads it starts later on `cpu`. */
export function pinSelf(cpu: number): void {
  if (canPin) execFileSync(TASKSET, ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

export interface NodeProcess {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<number | string>;
  /** Resolves with the first line (JSON-parsed, else `{ msg }`) matching `test`. */
  waitFor(test: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | string>;
}

/**
 * Runs `node script args…` with exactly `env` (no inheritance: what the process sees is what is
 * listed here), optionally pinned to one CPU, collecting its stdout/stderr lines.
 */
export function spawnNode(script: string, args: string[], env: Record<string, string>, options: { cpu?: number; cwd?: string; nodeArgs?: string[] } = {}): NodeProcess {
  const argv = [...(options.nodeArgs ?? []), script, ...args];
  const child =
    options.cpu !== undefined && canPin
      ? spawn(TASKSET, ['-c', String(options.cpu), process.execPath, ...argv], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, argv, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        lines.push(parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { msg: line });
      } catch {
        lines.push({ msg: line });
      }
      for (const listener of listeners) listener();
    });
  }
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const dump = () => lines.map((l) => JSON.stringify(l)).join('\n');
  return {
    child,
    lines,
    exited,
    waitFor(test, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(test);
          if (found) {
            done();
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${script}: no expected line within ${timeoutMs} ms; it printed:\n${dump()}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => {
          if (!listeners.has(check)) return;
          check();
          if (listeners.has(check)) {
            done();
            reject(new Error(`${script} exited early; it printed:\n${dump()}`));
          }
        });
        check();
      });
    },
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A free loopback port (the API logs its address only at info level, and benchmarks run it at warn). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `url` until it answers (any status). */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
