import { fileURLToPath } from 'node:url';
import { spawnNode, type NodeProcess } from './node.ts';

// Found by the repository's layout: the kit starts the apps as processes and never imports them.
export const API_MAIN = fileURLToPath(new URL('../../../../apps/api/src/main.ts', import.meta.url));
export const WORKER_MAIN = fileURLToPath(new URL('../../../../apps/worker/src/main.ts', import.meta.url));

export interface ApiProcess extends NodeProcess {
  /** The base URL, once the process logs that it listens (at LOG_LEVEL info or lower). */
  readonly url: Promise<string>;
}

/** `node apps/api/src/main.ts` as a supervisor runs it: only the env given (not even PATH), JSON logs on stdout. */
export function spawnApi(env: Record<string, string>, cwd?: string): ApiProcess {
  const api = spawnNode(API_MAIN, [], env, { cwd });
  const url = api.waitForLog('API listening').then((line) => String(line.url));
  url.catch(() => undefined); // awaited by whoever needs it; an early exit must not be an unhandled rejection
  return { ...api, url };
}

/** `node apps/worker/src/main.ts` as a supervisor runs it: its own env plus PATH, JSON logs on stdout. */
export const spawnWorker = (env: Record<string, string>): NodeProcess => spawnNode(WORKER_MAIN, [], { PATH: process.env.PATH ?? '', ...env });
