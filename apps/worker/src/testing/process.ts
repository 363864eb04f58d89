import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const WORKER_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const API_MAIN = fileURLToPath(new URL('../../../api/src/main.ts', import.meta.url));

export interface AppProcess {
  readonly child: ChildProcess;
  /** Every log line so far, parsed (non-JSON lines are kept as `{ msg }`). */
  readonly lines: Record<string, unknown>[];
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** Runs `apps/worker/src/main.ts` as a real process, as a supervisor would: own env, JSON logs on stdout. */
export const spawnWorker = (env: Record<string, string>): AppProcess => spawnApp(WORKER_MAIN, env);

/** Runs `apps/api/src/main.ts` as a real process (scale-out tests run several). */
export const spawnApi = (env: Record<string, string>): AppProcess => spawnApp(API_MAIN, env);

function spawnApp(main: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
      for (const listener of listeners) listener();
    });
  }
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const matches = (line: Record<string, unknown>, msg: string | RegExp) => typeof line.msg === 'string' && (typeof msg === 'string' ? line.msg === msg : msg.test(line.msg));
  return {
    child,
    lines,
    exited,
    waitForLog(msg, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find((line) => matches(line, msg));
          if (!found) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`process did not log ${String(msg)} within ${timeoutMs} ms; it logged:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => {
          if (listeners.has(check)) {
            done();
            reject(new Error(`process exited before logging ${String(msg)}:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`));
          }
        });
        check();
      });
    },
  };
}
