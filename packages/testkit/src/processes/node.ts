/**
 * Real Node processes for tests and benchmarks: the API and the worker run as a supervisor runs
 * them (only the env given, JSON logs on stdout), so exit codes, signals and crashes are real.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

const TASKSET = '/usr/bin/taskset';

/** On a 2-core machine a load generator and the server under test can each get a core (when `taskset` exists). */
export const canPin = existsSync(TASKSET);

/** Keeps this process (and the threads it starts later) on `cpu`. */
export function pinSelf(cpu: number): void {
  if (canPin) execFileSync(TASKSET, ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

export interface NodeProcess {
  readonly child: ChildProcess;
  /** Every stdout/stderr line so far, JSON-parsed (other lines kept as `{ msg }`). */
  readonly lines: Record<string, unknown>[];
  /** The exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
  /** The first line matching `test`; rejects after `timeoutMs` or if the process exits first. */
  waitFor(test: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** The first line whose `msg` is `msg` (or matches it). */
  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGTERM (unless it already exited), then the exit code. */
  stop(): Promise<number | string>;
}

export interface SpawnOptions {
  /** Run on this CPU only (ignored without `taskset`). */
  readonly cpu?: number;
  readonly cwd?: string;
  /** Flags for node itself, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
}

/** `node script args…` with exactly `env`: what the process sees is what is listed. */
export function spawnNode(script: string, args: readonly string[], env: Record<string, string>, options: SpawnOptions = {}): NodeProcess {
  const argv = [...(options.nodeArgs ?? []), script, ...args];
  const spawnOptions = { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
  const child =
    options.cpu !== undefined && canPin
      ? spawn(TASKSET, ['-c', String(options.cpu), process.execPath, ...argv], spawnOptions)
      : spawn(process.execPath, argv, spawnOptions);
  const lines: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
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

  function waitFor(test: (line: Record<string, unknown>) => boolean, timeoutMs = 60_000, what = 'the expected line'): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(test);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${script} did not print ${what} within ${timeoutMs} ms; it printed:\n${dump()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      void exited.then(() => {
        if (!listeners.has(check)) return;
        check(); // the last lines may arrive with the exit
        if (!listeners.has(check)) return;
        done();
        reject(new Error(`${script} exited before printing ${what}; it printed:\n${dump()}`));
      });
      check();
    });
  }

  return {
    child,
    lines,
    exited,
    waitFor: (test, timeoutMs) => waitFor(test, timeoutMs),
    waitForLog: (msg, timeoutMs) =>
      waitFor((line) => typeof line.msg === 'string' && (typeof msg === 'string' ? line.msg === msg : msg.test(line.msg)), timeoutMs, String(msg)),
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
