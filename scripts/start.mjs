// Starts the whole system on one machine: the API, then (once the API has applied migrations
// and listens) the worker. Each says it is ready over an IPC channel (reportReady in
// packages/runtime/src/process.ts), not in its logs, so every LOG_LEVEL starts both.
// Signals reach both; if either dies, the other is stopped too.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// Node flags for both apps on the embedded default, which a small box runs: V8's young generation
// capped at 1 MB a semi-space (16 by default), which the apps' short-lived garbage never needs, and
// V8 told to favour size over speed; bench:memory measures the saving, bench:booking the cost.
import NODE_FLAGS from './app-node-flags.json' with { type: 'json' };

const root = fileURLToPath(new URL('..', import.meta.url));
const children = new Set();
let stopping = false;

/** Runs one app, its logs going straight to ours; `onReady` gets its `{ type: 'ready' }` message once. */
function run(name, script, onReady) {
  const child = spawn(process.execPath, [...NODE_FLAGS, script], { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  let ready = false;
  child.on('message', (message) => {
    if (ready || stopping || message?.type !== 'ready') return;
    ready = true;
    onReady(message);
  });
  // Also covers an app that dies before it is ready: the launcher stops instead of waiting.
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      console.error(JSON.stringify({ level: 50, time: Date.now(), service: 'launcher', msg: `${name} exited unexpectedly`, code, signal }));
      stop(code || 1);
    } else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  if (children.size === 0) process.exit(code);
  for (const child of children) child.kill('SIGTERM');
}

/**
 * What a newcomer needs once both are up: where the API, its docs and the emails are. Printed at
 * every LOG_LEVEL, silent included: it is the launcher's answer, not one of the apps' logs.
 */
function announce(api, worker) {
  const { url, admin } = api;
  const text = [`API ${url}`, `docs ${url}/docs and ${url}/redoc`, `emails ${worker.mail.startsWith('smtp') ? `via ${worker.mail}` : `written to ${worker.mail}`}`];
  if (admin) text.push(`admin ${admin}`);
  const entry = { level: 30, time: Date.now(), service: 'launcher', msg: `ready: ${text.join('; ')}`, api: url, docs: `${url}/docs`, redoc: `${url}/redoc`, mail: worker.mail, health: worker.health, admin };
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

run('api', `${root}apps/api/src/main.ts`, (api) => run('worker', `${root}apps/worker/src/main.ts`, (worker) => announce(api, worker)));

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stop(0));
