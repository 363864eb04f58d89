import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../routers/app.ts';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { MISSING_ID } from '@appointments/testkit/hostile';
import { inputExamples, restProcedures } from './openapi.ts';
import { createServer } from '../server.ts';
import { parseEnv } from '../env.ts';

/** Fixed, so a failure replays exactly: rerun with the seed and path fast-check prints. */
const SEED = 20_261_125;
const RUNS = 40;

const operations = restProcedures(appRouter).flatMap(({ meta }) => (meta.openapi ? [{ method: meta.openapi.method, path: meta.openapi.path }] : []));
const examples = new Map(inputExamples(appRouter).map(({ route, examples }) => [route, examples]));

/** Arbitrary JSON objects, and valid examples with one field replaced, removed, or added. */
function bodies(route: string): fc.Arbitrary<Record<string, unknown>> {
  // Keys that hit Object.prototype when a parser is careless, beside arbitrary ones.
  const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'));
  const anyObject = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
  const valid = examples.get(route) as Record<string, unknown>[] | undefined;
  if (!valid?.length) return anyObject;
  const mutated = fc
    .tuple(fc.constantFrom(...valid), fc.nat(), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }), fc.option(key))
    .map(([example, pick, value, extraKey]) => {
      const keys = Object.keys(example);
      const key = keys[pick % keys.length]!;
      const out: Record<string, unknown> = { ...example };
      if (value === undefined) delete out[key];
      else out[key] = value;
      if (extraKey !== null) out[extraKey] = value ?? null;
      return out;
    });
  return fc.oneof(anyObject, mutated);
}

/** Path parameters: mostly a missing id (so valid writes touch nothing), else any text. */
const pathValue = fc.oneof(fc.constant(String(MISSING_ID)), fc.string({ maxLength: 20 }), fc.integer().map(String), fc.double().map(String));

function toQuery(input: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) params.append(key, typeof value === 'string' ? value : JSON.stringify(value) ?? '');
  const text = params.toString();
  return text ? `?${text}` : '';
}

describe('fuzzing every REST operation with arbitrary JSON', () => {
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, 'sqlite');
  });
  afterAll(() => t?.close());

  it.each(operations)('$method $path never answers 5xx, and errors are JSON', { timeout: 30_000 }, async ({ method, path }) => {
    // A session of its own: a fuzzed logout or self-change must not spoil the other operations.
    const token = await login(t.url, ADMIN.email, ADMIN.password);
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const property = fc.asyncProperty(bodies(`${method.toLowerCase()} ${path}`), fc.array(pathValue, { minLength: names.length, maxLength: names.length }), async (input, ids) => {
      let url: string = path;
      names.forEach((name, i) => (url = url.replace(`{${name}}`, encodeURIComponent(ids[i]!))));
      const inBody = method !== 'GET' && method !== 'DELETE';
      const res = await fetch(`${t.url}${url}${inBody ? '' : toQuery(input)}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(inBody && { 'content-type': 'application/json' }) },
        ...(inBody && { body: JSON.stringify(input) }),
      });
      const text = await res.text();
      expect(res.status, text).toBeLessThan(500);
      if (res.status >= 400) {
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(JSON.parse(text)).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }
    });
    await fc.assert(property, { numRuns: RUNS, seed: SEED });
  });
});
