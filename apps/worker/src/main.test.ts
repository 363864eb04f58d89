import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the worker process', () => {
  it('exits 1 with one line naming WORKER_PORT, and no stack, when its health port is taken', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
        cwd: mkdtempSync(join(tmpdir(), 'worker-main-')),
        env: { PATH: process.env.PATH ?? '', WORKER_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = await once(child, 'close');
      expect(code).toBe(1);
      expect(stderr).toBe(`Port ${port} is already in use: set WORKER_PORT to a free port (in .env or the environment).\n`);
      expect(stdout).not.toMatch(/EADDRINUSE|"level":60/);
    } finally {
      holder.close();
    }
  });
});
