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

let workerStarted = false;
run('api', `${root}apps/api/src/main.ts`, (line) => {
  if (!workerStarted && line.includes('"msg":"API listening"')) {
    workerStarted = true;
    run('worker', `${root}apps/worker/src/main.ts`);
  }
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stop(0));
