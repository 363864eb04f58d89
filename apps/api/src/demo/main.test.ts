import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from './seed.ts';

const main = join(import.meta.dirname, 'main.ts');

/** Runs the CLI in an empty directory (no .env), with only the given environment. */
async function run(cwd: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [main], { cwd, env: { PATH: process.env.PATH ?? '', DATA_DIR: join(cwd, 'data'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('pnpm seed:demo', () => {
  it('fills the database under DATA_DIR, prints the accounts and how to log in, and is a no-op the second time', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'demo-seed-'));
    const first = await run(cwd);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`Demo created in SQLite ${join(cwd, 'data', 'appointments.db')}`);
    for (const account of DEMO_ACCOUNTS) expect(first.stdout).toMatch(new RegExp(`${account.email} +${account.password}`));
    expect(first.stdout).toContain('http://127.0.0.1:8000/docs');

    const second = await run(cwd);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already in SQLite');
  }, 60_000);

  it('refuses a production environment and explains a failure, exiting 1', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'demo-seed-'));
    const production = await run(cwd, { NODE_ENV: 'production', SECRET_KEY: 'a-secret-of-sixteen-chars' });
    expect(production.code).toBe(1);
    expect(production.stderr).toMatch(/NODE_ENV=production/);

    const unreachable = await run(cwd, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^Demo seed failed: /);
  }, 60_000);
});
