import { fileURLToPath } from 'node:url';
import { spawnNode, type NodeProcess } from '@appointments/db/processes';

const WORKER_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const API_MAIN = fileURLToPath(new URL('../../../api/src/main.ts', import.meta.url));

export type AppProcess = NodeProcess;

/** Runs `apps/worker/src/main.ts` as a real process, as a supervisor would: own env, JSON logs on stdout. */
export const spawnWorker = (env: Record<string, string>): AppProcess => spawnNode(WORKER_MAIN, [], { PATH: process.env.PATH ?? '', ...env });

/** Runs `apps/api/src/main.ts` as a real process (scale-out tests run several). */
export const spawnApi = (env: Record<string, string>): AppProcess => spawnNode(API_MAIN, [], { PATH: process.env.PATH ?? '', ...env });
