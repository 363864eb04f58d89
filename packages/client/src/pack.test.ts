import { execFile } from 'node:child_process';
import { copyFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApiProcess, type RunningApi } from '@appointments/testkit/api';

/**
 * The published package as a stranger gets it: packed (prepack builds dist), installed with npm
 * into a copy of examples/consumer outside the workspace, type-checked strictly and run against a
 * real API.
 */

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const exampleDir = join(packageDir, '..', '..', 'examples', 'consumer');

interface Run {
  code: number;
  output: string;
}

/** Runs a program with explicit arguments (no shell); resolves with its exit code and output. */
function run(file: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    // A bounded wait: a registry that never answers fails the test with npm's output, not a bare hook timeout.
    execFile(file, args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 180_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function ok(file: string, args: string[], cwd: string): Promise<string> {
  const result = await run(file, args, cwd);
  if (result.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${result.code}:\n${result.output}`);
  return result.output;
}

describe('the packed package, used by examples/consumer', () => {
  let work: string;
  let consumer: string;
  let tarball: string;
  let api: RunningApi | undefined;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'appointments-client-pack-'));
    consumer = join(work, 'consumer');
    await ok('pnpm', ['pack', '--pack-destination', work], packageDir);
    const [name, ...others] = (await readdir(work)).filter((file) => file.endsWith('.tgz'));
    expect(others).toEqual([]);
    tarball = join(work, name!);

    // The example as committed; whatever a hand run left behind (node_modules, out) stays behind.
    const leftovers = new Set(['node_modules', 'out', 'package-lock.json']);
    await cp(exampleDir, consumer, { recursive: true, filter: (source) => !leftovers.has(basename(source)) });
    await ok('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', tarball], consumer);
  }, 240_000);

  afterAll(async () => {
    await api?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const installed = (file: string) => join(consumer, 'node_modules', '@appointments', 'client', file);
  const tsc = (args: string[]) => run(process.execPath, [join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], consumer);

  it('holds only dist, README, the licence and package.json, with a publishable manifest', async () => {
    const files = (await ok('tar', ['-tzf', tarball], work)).split('\n').filter(Boolean).sort();
    expect(files).toEqual(['package/LICENSE', 'package/README.md', 'package/dist/index.d.ts', 'package/dist/index.js', 'package/package.json']);

    const manifest = JSON.parse(await readFile(installed('package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@appointments/client', type: 'module', sideEffects: false, license: 'MIT', files: ['dist', 'README.md', 'LICENSE'] });
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.private).toBeUndefined();
    expect(manifest.engines.node).toMatch(/^>=\d+$/);
    expect(manifest.keywords).toEqual(expect.arrayContaining(['appointments', 'trpc']));
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@trpc/client', '@trpc/server']);
    for (const version of Object.values(manifest.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    // npm recorded the tarball as the app's dependency: it came from the pack, not a workspace link.
    const app = JSON.parse(await readFile(join(consumer, 'package.json'), 'utf8'));
    expect(app.dependencies['@appointments/client']).toMatch(/^file:.*\.tgz$/);
  });

  it('has types that import nothing but tRPC, so consumers need no workspace package', async () => {
    const dts = await readFile(installed('dist/index.d.ts'), 'utf8');
    // Every way a .d.ts can name another module: import/export from, import(), bare import, declare module, reference.
    const moduleReference = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bdeclare\s+module\s+|<reference\s+types\s*=\s*)['"]([^'"]+)['"]/g;
    const specifiers = [...dts.matchAll(moduleReference)].map((match) => match[1]);
    expect(specifiers).toContain('@trpc/client');
    expect(specifiers.filter((specifier) => !/^@trpc\/(client|server)(\/|$)/.test(specifier!))).toEqual([]);
    expect(await readdir(join(consumer, 'node_modules', '@appointments'))).toEqual(['client']);
  });

  it('type-checks the strict example (skipLibCheck off), with literal unions and input errors intact', async () => {
    const result = await tsc(['-p', 'tsconfig.json']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('type-checks for a browser too: no @types/node', async () => {
    const browser = {
      extends: './tsconfig.json',
      compilerOptions: { types: [], noEmit: true },
      // flow.ts is a Node program; the type tests touch every export.
      include: ['src/type-tests.ts'],
    };
    await writeFile(join(consumer, 'tsconfig.browser.json'), JSON.stringify(browser));
    const result = await tsc(['-p', 'tsconfig.browser.json']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('rejects the example’s deliberately wrong call at compile time', async () => {
    const wrongFile = join(consumer, 'src', 'wrong-call.ts');
    await copyFile(join(consumer, 'src', 'wrong-call.ts.txt'), wrongFile);
    const result = await tsc(['-p', 'tsconfig.json', '--noEmit']).finally(() => rm(wrongFile));
    expect(result.code).not.toBe(0);
    // The only error: the wrong call, on its own line; the rest of the app still compiles.
    const errors = result.output.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors).toEqual([expect.stringMatching(/^src\/wrong-call\.ts\(6,\d+\): error TS2322: Type 'string' is not assignable to type 'number'\.$/)]);
  }, 60_000);

  it('runs the compiled flow against a real API', async () => {
    // The type-check test emitted out/; emit again in case it ran alone.
    await tsc(['-p', 'tsconfig.json']);
    api = await startApiProcess('sqlite');
    const output = await ok(process.execPath, ['out/flow.js', api.url, ADMIN.email, ADMIN.password], consumer);
    const summary = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(summary.client).toMatchObject({ role: 'client', email: expect.stringMatching(/^client-.+@example\.com$/) });
    expect(summary.slots).toBe(3);
    expect(summary.booked.status).toBe('scheduled');
    expect(summary.retried_id).toBe(summary.booked.id);
    expect(summary.taken).toEqual({ code: 'APPOINTMENT.SLOT_TAKEN', status: 409 });
    expect(summary.rescheduled).toMatchObject({ id: summary.booked.id, start_time: summary.rescheduled.expected_start, sequence: 1 });
    expect(summary.rescheduled.start_time).not.toBe(summary.booked.start_time);
    expect(summary.ics).toEqual({ calendar: true, event: true });
    expect(summary.missing_ics).toEqual({ code: 'APPOINTMENT.NOT_FOUND', status: 404 });
    expect(summary.cancelled).toEqual({ id: summary.booked.id, status: 'cancelled' });
    expect(summary.after_logout).toEqual({ code: 'AUTH.NOT_AUTHENTICATED', status: 401 });
    expect(output).toContain('- rescheduled: ');
  }, 60_000);
});
