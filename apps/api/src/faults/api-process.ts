import { fileURLToPath } from 'node:url';
import { spawnNode, type NodeProcess } from '@appointments/db/processes';

const API_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface ApiProcess extends NodeProcess {
  /** The base URL, once the process logs that it listens. */
  readonly url: Promise<string>;
}

/** `node apps/api/src/main.ts` as a supervisor runs it: only the env given (not even PATH), JSON logs on stdout. */
export function spawnApi(env: Record<string, string>, cwd: string): ApiProcess {
  const api = spawnNode(API_MAIN, [], env, { cwd });
  const url = api.waitForLog('API listening').then((line) => String(line.url));
  url.catch(() => undefined); // awaited by whoever needs it; an early exit must not be an unhandled rejection
  return { ...api, url };
}
