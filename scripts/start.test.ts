import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';

it('starts API and worker on embedded defaults, ready within 60 s, and stops both on SIGTERM to the group', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'start-'));
  const started = Date.now();
  const child = spawn(process.execPath, [join(import.meta.dirname, 'start.mjs')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0' },
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

  await waitFor('api', 'API listening');
  const url = logs.find((l) => l.msg === 'API listening')!.url!;
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(60_000);
  await waitFor('worker', 'worker started');

  process.kill(-child.pid!, 'SIGTERM');
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  expect(seen('api', 'shutting down')).toBe(true);
  expect(seen('worker', 'worker stopping')).toBe(true);
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
}, 60_000);
