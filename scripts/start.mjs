// Starts the whole system on one machine: the API, then (once the API has applied migrations
// and listens) the worker. Signals reach both; if either dies, the other is stopped too.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const children = new Set();
let stopping = false;

function run(name, script, onLine) {
  const child = spawn(process.execPath, [script], { cwd: process.cwd(), stdio: ['ignore', onLine ? 'pipe' : 'inherit', 'inherit'] });
  children.add(child);
  if (onLine) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      process.stdout.write(`${line}\n`);
      onLine(line);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      console.error(JSON.stringify({ level: 50, time: Date.now(), service: 'launcher', msg: `${name} exited unexpectedly`, code, signal }));
      stop(code || 1);
    } else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  if (children.size === 0) process.exit(code);
  for (const child of children) child.kill('SIGTERM');
}

/** What a newcomer needs once both are up: where the API, its docs and the emails are. */
const ready = { api: null, mail: null, admin: null };
function parse(line) {
  try {
    return JSON.parse(line);
  } catch {
    return {};
  }
}
function announce() {
  const { api, mail, admin } = ready;
  const text = [`API ${api}`, `docs ${api}/docs and ${api}/redoc`, `emails ${mail.startsWith('smtp') ? `via ${mail}` : `written to ${mail}`}`];
  if (admin) text.push(`admin ${admin}`);
  const entry = { level: 30, time: Date.now(), service: 'launcher', msg: `ready: ${text.join('; ')}`, api, docs: `${api}/docs`, redoc: `${api}/redoc`, mail, admin };
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

let workerStarted = false;
run('api', `${root}apps/api/src/main.ts`, (line) => {
  const entry = parse(line);
  if (entry.msg === 'admin created') ready.admin = entry.email;
  if (!workerStarted && entry.msg === 'API listening') {
    workerStarted = true;
    ready.api = entry.url;
    run('worker', `${root}apps/worker/src/main.ts`, (workerLine) => {
      const started = parse(workerLine);
      if (started.msg === 'worker started') {
        ready.mail = started.mail;
        announce();
      }
    });
  }
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stop(0));
