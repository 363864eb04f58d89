import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const main = join(import.meta.dirname, 'main.ts');

function start(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'api-main-'));
  const child = spawn(process.execPath, [main], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'API listening') resolve(entry.url as string);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
  listening.catch(() => undefined); // awaited only by the tests that expect a start
  return { child, cwd, lines, listening };
}

describe('the API process', () => {
  it('starts on embedded defaults, becomes ready, logs JSON lines and stops cleanly on SIGTERM', async () => {
    const startedAt = Date.now();
    const { child, lines, listening } = start({});
    const url = await listening;
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'sqlite' });
    expect(Date.now() - startedAt).toBeLessThan(60_000);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['API listening', 'shutting down']));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', method: 'GET', path: '/readyz', status: 200 }));
    expect(lines.every((l) => typeof l.level === 'number' && typeof l.time === 'number')).toBe(true);
  });

  it('exits 1 with one line naming PORT, and no stack, when its port is taken', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      const { child, lines } = start({ PORT: String(port) });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = await once(child, 'close');
      expect(code).toBe(1);
      expect(stderr).toBe(`Port ${port} is already in use: set PORT to a free port (in .env or the environment).\n`);
      expect(lines.filter((l) => l.level === 50 || 'err' in l)).toEqual([]);
    } finally {
      holder.close();
    }
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const { child } = start({ PORT: 'not-a-port', NODE_ENV: 'production' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid configuration:\n {2}PORT: .*\n {2}SECRET_KEY: SECRET_KEY is required/);
  });
});
