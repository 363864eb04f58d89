import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '@appointments/api/testing';

/**
 * The published package as a stranger gets it: packed (prepack builds dist), installed with npm
 * into a project outside the workspace, type-checked strictly and run against a real API.
 */

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

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

const consumerTsconfig = {
  compilerOptions: {
    strict: true,
    skipLibCheck: false,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    // tRPC's own types name fetch's Request/Response and Disposable: DOM (or @types/node) and ESNext.Disposable.
    lib: ['ES2022', 'ESNext.Disposable', 'DOM'],
    types: [],
    outDir: 'out',
  },
  include: ['src'],
};

const consumerSource = `import { createAppointmentsClient, errorCode } from '@appointments/client';

export async function main(baseUrl: string) {
  const anonymous = createAppointmentsClient({ baseUrl });
  const email = 'consumer@example.com';
  const password = 'consumer-pass-1';
  const registered = await anonymous.auth.register.mutate({ email, full_name: 'Con Sumer', password });
  const { access_token } = await anonymous.auth.login.mutate({ username: email, password });
  const client = createAppointmentsClient({ baseUrl, token: async () => access_token });
  const me = await client.auth.me.query();
  const duplicate = await anonymous.auth.register
    .mutate({ email, full_name: 'Again', password })
    .then(() => 'no error', (error: unknown) => errorCode(error));
  return { registered, me, duplicate };
}
`;

// Never run: tsc alone checks it. Every @ts-expect-error fails the build if the types degrade to any.
const typeTestsSource = `import type { AppointmentsClient, RouterInputs, RouterOutputs } from '@appointments/client';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

type Me = RouterOutputs['auth']['me'];
export type Checks = [
  Expect<Equal<Me['role'], 'admin' | 'staff' | 'client'>>,
  Expect<Equal<Me['created_at'], string>>,
  Expect<Equal<RouterOutputs['auth']['login'], { access_token: string; token_type: 'bearer' }>>,
  Expect<Equal<RouterInputs['auth']['login'], { username: string; password: string }>>,
  Expect<Equal<RouterOutputs['users']['list']['items'][number], Me>>,
];

export async function neverCalled(client: AppointmentsClient): Promise<void> {
  const me = await client.auth.me.query();
  // @ts-expect-error role keeps its literal union
  me.role = 'superuser';
  // @ts-expect-error username is a string
  await client.auth.login.mutate({ username: 42, password: 'x' });
  // @ts-expect-error full_name is required
  await client.auth.register.mutate({ email: 'a@example.com', password: 'long-enough' });
  // @ts-expect-error unknown role
  await client.users.update.mutate({ id: me.id, role: 'superuser' });
  // @ts-expect-error no such procedure
  await client.auth.nothing.query();
}
`;

// A wrong input without @ts-expect-error: proves this tsc setup reports it.
const wrongInputSource = `import { createAppointmentsClient } from '@appointments/client';
export const call = () => createAppointmentsClient({ baseUrl: 'http://localhost' }).users.list.query({ limit: 'ten' });
`;

describe('the packed package', () => {
  let work: string;
  let consumer: string;
  let tarball: string;
  let api: TestApi | undefined;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'appointments-client-pack-'));
    consumer = join(work, 'consumer');
    await ok('pnpm', ['pack', '--pack-destination', work], packageDir);
    const [name, ...others] = (await readdir(work)).filter((file) => file.endsWith('.tgz'));
    expect(others).toEqual([]);
    tarball = join(work, name!);

    await mkdir(join(consumer, 'src'), { recursive: true });
    await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify(consumerTsconfig, null, 2));
    await writeFile(join(consumer, 'src', 'consumer.ts'), consumerSource);
    await writeFile(join(consumer, 'src', 'type-tests.ts'), typeTestsSource);
    await writeFile(join(consumer, 'run.mjs'), "import { main } from './out/consumer.js';\nconsole.log(JSON.stringify(await main(process.argv[2])));\n");
    await ok('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', tarball, 'typescript@5.9.3'], consumer);
  }, 240_000);

  afterAll(async () => {
    await api?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const installed = (file: string) => join(consumer, 'node_modules', '@appointments', 'client', file);
  const tsc = (args: string[]) => run(process.execPath, [join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], consumer);

  it('holds only dist and package.json, with real dependency versions', async () => {
    const files = (await ok('tar', ['-tzf', tarball], work)).split('\n').filter(Boolean).sort();
    expect(files).toEqual(['package/dist/index.d.ts', 'package/dist/index.js', 'package/package.json']);

    const manifest = JSON.parse(await readFile(installed('package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@appointments/client', type: 'module', sideEffects: false });
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@trpc/client', '@trpc/server']);
    for (const version of Object.values(manifest.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
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

  it('type-checks a strict consumer (skipLibCheck off), with literal unions and input errors intact', async () => {
    const result = await tsc(['-p', 'tsconfig.json']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('reports a wrong input type as a compile error', async () => {
    await mkdir(join(consumer, 'wrong'));
    await writeFile(join(consumer, 'wrong', 'wrong-input.ts'), wrongInputSource);
    const config = { ...consumerTsconfig, compilerOptions: { ...consumerTsconfig.compilerOptions, noEmit: true }, include: ['wrong'] };
    await writeFile(join(consumer, 'tsconfig.wrong.json'), JSON.stringify(config));
    const result = await tsc(['-p', 'tsconfig.wrong.json']);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/wrong-input\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number/);
  }, 60_000);

  it('runs the compiled consumer against a real API', async () => {
    // The type-check test emitted out/; emit again in case it ran alone.
    await tsc(['-p', 'tsconfig.json']);
    api = await startTestApi('sqlite');
    const result = JSON.parse(await ok(process.execPath, ['run.mjs', api.url], consumer));
    expect(result.registered).toMatchObject({ email: 'consumer@example.com', full_name: 'Con Sumer', role: 'client' });
    expect(result.me).toEqual(result.registered);
    expect(result.duplicate).toBe('USER.EMAIL_TAKEN');
  }, 60_000);
});
