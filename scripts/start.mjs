// Starts the whole system on one machine: the API, then (once the API has applied migrations
// and listens) the worker. Each says it is ready over an IPC channel (reportReady in
// packages/runtime/src/process.ts), not in its logs, so every LOG_LEVEL starts both.
// Signals reach both; if either dies, the other is stopped too.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { consoleStyle, formatEntry } from '@appointments/runtime/console';
import { announcement } from './announce.ts';
// Node flags for both apps on the embedded default, which a small box runs: V8's young generation
// capped at 1 MB a semi-space (16 by default), which the apps' short-lived garbage never needs, and
// V8 told to favour size over speed; bench:memory measures the saving, bench:booking the cost.
import NODE_FLAGS from './app-node-flags.json' with { type: 'json' };

const root = fileURLToPath(new URL('..', import.meta.url));
// NODE_ENV as the apps see it (the environment first, then .env), so the launcher's lines take the
// same form as theirs: readable on a terminal outside production, JSON otherwise.
const nodeEnv = process.env.NODE_ENV ?? (existsSync('.env') ? parseEnv(readFileSync('.env', 'utf8')).NODE_ENV : undefined);
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
      const entry = { level: 50, time: Date.now(), service: 'launcher', msg: `${name} exited unexpectedly`, code, signal };
      const style = consoleStyle(process.stderr, nodeEnv);
      console.error(style === 'json' ? JSON.stringify(entry) : formatEntry(entry, style === 'colour'));
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
  process.stdout.write(announcement({ api, worker }, consoleStyle(process.stdout, nodeEnv), Date.now()));
}

run('api', `${root}apps/api/src/main.ts`, (api) => run('worker', `${root}apps/worker/src/main.ts`, (worker) => announce(api, worker)));

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stop(0));
