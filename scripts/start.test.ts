import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it, onTestFinished } from 'vitest';

it('starts API and worker on embedded defaults, ready within 60 s, and stops both on SIGTERM to the group', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'start-'));
  const started = Date.now();
  const child = spawn(process.execPath, [join(import.meta.dirname, 'start.mjs')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', WORKER_PORT: '0', ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin-password-1' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group, as a terminal or supervisor would run it
  });
  const logs: { service: string; msg: string; url?: string }[] = [];
  const seen = (service: string, msg: string) => logs.some((l) => l.service === service && l.msg === msg);
  const waitFor = (service: string, msg: string) =>
    new Promise<void>((resolve) => {
      const check = () => (seen(service, msg) ? resolve() : setTimeout(check, 20));
      check();
    });
  createInterface({ input: child.stdout! }).on('line', (line) => logs.push(JSON.parse(line)));
  // A failing assertion must not leave the system running.
  onTestFinished(() => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  });

  await waitFor('api', 'API listening');
  const url = logs.find((l) => l.msg === 'API listening')!.url!;
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(60_000);
  await waitFor('worker', 'worker started');
  const isAnnouncement = (l: { service: string; msg: string }) => l.service === 'launcher' && l.msg.startsWith('ready: ');
  while (!logs.some(isAnnouncement)) await new Promise((resolve) => setTimeout(resolve, 20));
  const announced = logs.find(isAnnouncement);
  expect(announced?.msg).toBe(`ready: API ${url}; docs ${url}/docs and ${url}/redoc; emails written to ${join(cwd, 'data', 'outbox')}; admin admin@example.com`);

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
  const emails = () => (existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')) : []);
  while (emails().length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(readFileSync(join(outbox, emails()[0]!), 'utf8')).toMatch(/^Subject: Confirmed: appointment with /m);
  expect(logs.some((l) => l.service === 'worker' && l.msg.startsWith('no MAIL_SERVER set: emails are written as .eml files to'))).toBe(true);

  process.kill(-child.pid!, 'SIGTERM');
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  expect(seen('api', 'shutting down')).toBe(true);
  expect(seen('worker', 'worker stopping')).toBe(true);
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
}, 60_000);
