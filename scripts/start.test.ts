import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it, type TestContext } from 'vitest';

/** Every LOG_LEVEL, with the lowest pino level number it lets through. */
const PINO_LEVELS = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10, silent: Infinity };
const LEVELS = Object.keys(PINO_LEVELS) as (keyof typeof PINO_LEVELS)[];

interface Line {
  level: number;
  service: string;
  msg: string;
  api?: string;
  health?: string;
}

/** `pnpm start` in a fresh directory, in its own process group as a terminal or supervisor would run it. */
function launch(level: keyof typeof PINO_LEVELS, onTestFinished: TestContext['onTestFinished'], extra: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'start-'));
  const child = spawn(process.execPath, [join(import.meta.dirname, 'start.mjs')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', WORKER_PORT: '0', LOG_LEVEL: level, ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin-password-1', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // Kept for the tests that read it, and still shown as it comes.
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    process.stderr.write(chunk);
  });
  // A failing assertion must not leave the system running.
  onTestFinished(() => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  });
  const lines: Line[] = [];
  const ready = new Promise<Line>((resolve, reject) => {
    const late = setTimeout(() => reject(new Error('no ready: line within 60 s')), 60_000);
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as Line;
      lines.push(line);
      if (line.service === 'launcher' && line.msg.startsWith('ready: ')) {
        clearTimeout(late);
        resolve(line);
      }
    });
    // 'close', not 'exit': every line the system wrote has been read by then.
    child.once('close', (code) => {
      clearTimeout(late);
      reject(new Error(`launcher exited with ${code} before its ready: line`));
    });
  });
  return { cwd, child, lines, ready, stderr: () => stderr.join('') };
}

/** A port held by the test, so the system's listen on it fails with EADDRINUSE. */
async function holdPort(onTestFinished: TestContext['onTestFinished']): Promise<number> {
  const holder = createServer().listen(0, '127.0.0.1');
  await once(holder, 'listening');
  onTestFinished(() => void holder.close());
  return (holder.address() as AddressInfo).port;
}

describe('pnpm start', () => {
  // Every level at once: each start takes seconds, mostly waiting on the embedded databases.
  // Concurrent tests take `expect` and `onTestFinished` from their context, so each cleans up its own system.
  it.concurrent.for(LEVELS)('at LOG_LEVEL=%s starts API and worker, says ready, sends emails and stops both on SIGTERM to the group', { timeout: 120_000 }, async (level, { expect, onTestFinished }) => {
    const { cwd, child, lines, ready } = launch(level, onTestFinished);
    const announced = await ready;
    const url = announced.api!;
    expect(announced.msg).toBe(`ready: API ${url}; docs ${url}/docs and ${url}/redoc; emails written to ${join(cwd, 'data', 'outbox')}; admin admin@example.com`);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await fetch(announced.health!)).status).toBe(200);

    // A booking's confirmations land in the dev outbox as .eml files (no MAIL_SERVER set).
    const call = async (token: string | null, path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify(body),
      });
      expect(res.ok, `${path}: ${res.status}`).toBe(true);
      return (await res.json()) as Record<string, unknown>;
    };
    const login = async (email: string, password: string) => (await call(null, '/api/v1/auth/login', { username: email, password })).access_token as string;
    const admin = await login('admin@example.com', 'admin-password-1');
    const staff = await call(admin, '/api/v1/auth/register', { email: 'staff@example.com', full_name: 'Staff', password: 'staff-password-1', role: 'staff' });
    for (let day = 0; day < 7; day++) {
      await call(admin, '/api/v1/availability', { staff_id: staff.id, day_of_week: day, start_time: '09:00:00', end_time: '17:00:00', is_recurring: true });
    }
    await call(null, '/api/v1/auth/register', { email: 'client@example.com', full_name: 'Client', password: 'client-password-1' });
    const client = await login('client@example.com', 'client-password-1');
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await call(client, '/api/v1/appointments', { staff_id: staff.id, start_time: `${day}T10:00:00`, end_time: `${day}T11:00:00` });
    const outbox = join(cwd, 'data', 'outbox');
    // The confirmations (the client's verification link lands there too).
    const emails = () => (existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml') && f.includes('-confirmation-')) : []);
    while (emails().length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readFileSync(join(outbox, emails()[0]!), 'utf8')).toMatch(/^Subject: Confirmed: appointment with /m);

    process.kill(-child.pid!, 'SIGTERM');
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await expect(fetch(announced.health!)).rejects.toThrow();

    // The apps log at their level; the launcher's ready: line is printed at every one.
    const appLines = lines.filter((l) => l.service !== 'launcher');
    expect(appLines.every((l) => l.level >= PINO_LEVELS[level])).toBe(true);
    if (PINO_LEVELS[level] <= PINO_LEVELS.info) {
      const said = (service: string, msg: string) => appLines.some((l) => l.service === service && l.msg.startsWith(msg));
      expect(said('worker', 'no MAIL_SERVER set: emails are written as .eml files to')).toBe(true);
      expect(said('api', 'shutting down')).toBe(true);
      expect(said('worker', 'worker stopping')).toBe(true);
    }
  });

  it.concurrent.for(['PORT', 'WORKER_PORT'])('with %s taken, exits 1 showing one line that names it, no stack, the other app stopped or never started', { timeout: 60_000 }, async (variable, { expect, onTestFinished }) => {
    const port = await holdPort(onTestFinished);
    const { child, lines, ready, stderr } = launch('info', onTestFinished, { [variable]: String(port) });
    await expect(ready).rejects.toThrow('launcher exited with 1 before its ready: line');
    expect(child.exitCode).toBe(1);
    const line = `Port ${port} is already in use: set ${variable} to a free port (in .env or the environment).`;
    expect(stderr().split('\n').filter((text) => text === line)).toHaveLength(1);
    expect(stderr()).not.toContain('EADDRINUSE');
    expect(lines.filter((l) => l.level >= 50 && l.service !== 'launcher')).toEqual([]);
    // The worker's port was taken once the API served: the API was stopped, not left running.
    if (variable === 'WORKER_PORT') expect(lines).toContainEqual(expect.objectContaining({ service: 'api', msg: 'shutting down' }));
  });

  it.concurrent('on a terminal: readable coloured log lines from both apps, a ready: block that stands out, Ctrl-C stops both', { timeout: 120_000 }, async ({ expect, onTestFinished }) => {
    // script(1) gives the launcher a pseudo-terminal, as a developer's shell does.
    // `exec`: the shell script(1) runs the command with must not stay around to die of the Ctrl-C itself.
    const command = ['exec', ...[process.execPath, join(import.meta.dirname, 'start.mjs')].map((arg) => `'${arg}'`)].join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: mkdtempSync(join(tmpdir(), 'start-tty-')),
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', PORT: '0', WORKER_PORT: '0', ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin-password-1' },
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: true,
    });
    onTestFinished(() => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    });
    let raw = '';
    child.stdout.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    const shown = () => raw.replaceAll('\r\n', '\n');
    const readyBlock = /\n\n\x1b\[1;32mready: API {5}(http:\/\/[\d.:]+)\x1b\[0m\n/;
    const deadline = Date.now() + 60_000;
    while (!readyBlock.test(shown())) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ready: block; the terminal showed:\n${shown()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const url = readyBlock.exec(shown())![1]!;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(shown()).toContain(`\x1b[1;32m       docs    ${url}/docs (and ${url}/redoc)\x1b[0m\n`);

    child.stdin.write('\x03');
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    const text = shown();
    const plain = text.replace(/\x1b\[[\d;]*m/g, '');
    expect(plain).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d INFO  api API listening url=${url} database=sqlite$`, 'm'));
    expect(plain).toMatch(/^\d\d:\d\d:\d\d INFO  worker worker started queue=".+" mail=\S+ health=http:\/\/\S+\/healthz database=sqlite$/m);
    expect(plain).toMatch(/\d\d:\d\d:\d\d INFO  worker worker stopping signal=SIG(INT|TERM)$/m);
    expect(plain).toMatch(/\d\d:\d\d:\d\d INFO  api shutting down signal=SIG(INT|TERM)$/m);
    expect(text).toContain(' \x1b[32mINFO\x1b[0m  api ');
    expect(text.split('\n').filter((line) => line.includes('{"level"'))).toEqual([]);
  });

  it.concurrent('stops the API and exits 1 when the worker dies before it is ready, without a ready: line', async ({ expect, onTestFinished }) => {
    const { child, lines, ready } = launch('info', onTestFinished, { QUEUE_DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    await expect(ready).rejects.toThrow('launcher exited with 1 before its ready: line');
    // The launcher exits only once both are gone; the API was stopped, not left running.
    expect(child.exitCode).toBe(1);
    expect(lines).toContainEqual(expect.objectContaining({ service: 'api', msg: 'shutting down' }));
  }, 60_000);
});
