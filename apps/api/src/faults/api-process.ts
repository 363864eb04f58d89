import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const API_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface ApiProcess {
  readonly child: ChildProcess;
  /** Every log line so far (non-JSON lines kept as `{ msg }`), for failure messages. */
  readonly lines: Record<string, unknown>[];
  /** The base URL, once the process logs that it listens. */
  readonly url: Promise<string>;
  /** The exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
}

/**
 * `node apps/api/src/main.ts` as a supervisor runs it: only the env given (node is started by its
 * absolute path, so not even PATH), JSON logs on stdout. A copy of the worker's test helper in
 * spirit; apps never import each other.
 */
export function spawnApi(env: Record<string, string>, cwd: string): ApiProcess {
  const child = spawn(process.execPath, [API_MAIN], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          entry = { msg: line };
        }
        lines.push(entry);
        if (entry.msg === 'API listening') resolve(entry.url as string);
      });
    }
    void exited.then((code) => reject(new Error(`API exited (${code}) before listening:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`)));
  });
  url.catch(() => undefined); // awaited by whoever needs it; an early exit must not be an unhandled rejection
  return { child, lines, url, exited };
}
