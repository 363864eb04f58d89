import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecretKey } from './secret-key.ts';

describe('resolveSecretKey', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-key-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('takes the key given, writing nothing', () => {
    const dir = fresh();
    expect(resolveSecretKey('given-secret-key-0123456789', dir)).toBe('given-secret-key-0123456789');
    expect(() => statSync(join(dir, 'secret_key'))).toThrow();
  });

  it('generates one into DATA_DIR once, private to the owner, and every later reader gets it', () => {
    const dir = join(fresh(), 'data');
    const first = resolveSecretKey(undefined, dir);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(resolveSecretKey(undefined, dir)).toBe(first);
    expect(readFileSync(join(dir, 'secret_key'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'secret_key')).mode & 0o077).toBe(0);
  });

  it('gives the API and the worker the same key when both start on an empty DATA_DIR at once', async () => {
    const dir = fresh();
    const module = new URL('./secret-key.ts', import.meta.url).href;
    const script = `import { resolveSecretKey } from ${JSON.stringify(module)}; console.log(resolveSecretKey(undefined, ${JSON.stringify(dir)}));`;
    const run = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    const keys = (await Promise.all(Array.from({ length: 6 }, run))).map(({ stdout }) => stdout.trim());
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(keys).size).toBe(1);
    expect(readFileSync(join(dir, 'secret_key'), 'utf8').trim()).toBe(keys[0]);
  });
});
