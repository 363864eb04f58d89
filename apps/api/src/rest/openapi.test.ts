import { compileErrors, dereference, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { OpenAPIObject } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../routers/app.ts';
import { startTestApi, type TestApi } from '@appointments/testkit/api';
import { inputExamples, restProcedures } from './openapi.ts';
import { createServer } from '../server.ts';
import { parseEnv } from '../env.ts';

type Document = OpenAPIObject;
type Operation = NonNullable<NonNullable<Document['paths']>[string]['get']>;
type Parameter = Extract<NonNullable<Operation['parameters']>[number], { in: unknown }>;
type RequestBody = Extract<NonNullable<Operation['requestBody']>, { content: unknown }>;
type MediaType = RequestBody['content'][string];
type Example = Extract<NonNullable<MediaType['examples']>[string], { value?: unknown }>;
type Response = Extract<NonNullable<Operation['responses']>[string], { description: string }>;
/** The validator's own (openapi-types) document type; the JSON is the same. */
type ParserDocument = Parameters<typeof validate>[0];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const ICS_ROUTES = ['get /api/v1/appointments/{id}/export.ics', 'get /api/v1/appointments/export-all.ics', 'get /api/v1/calendar/feed.ics'];

let t: TestApi;
/** The document exactly as GET /openapi.json serves it. */
let doc: Document;

beforeAll(async () => {
  t = await startTestApi({ createServer, parseEnv }, 'sqlite');
  doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as Document;
});
afterAll(() => t?.close());

function operations(d: Document): [route: string, operation: Operation][] {
  return Object.entries(d.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item?.[method] ? [[`${method} ${path}`, item[method]] as [string, Operation]] : [])),
  );
}

function operation(route: string): Operation {
  const found = operations(doc).find(([r]) => r === route);
  if (!found) throw new Error(`no operation ${route}`);
  return found[1];
}

function restRoutes(): string[] {
  return restProcedures(appRouter).flatMap(({ meta }) => (meta.openapi ? [`${meta.openapi.method.toLowerCase()} ${meta.openapi.path}`] : []));
}

const errorBody = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document for an independent validator (@readme/openapi-parser)', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(doc) as ParserDocument);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result.warnings).toEqual([]);
  });

  it('is rejected by that validator once broken (the check has teeth)', async () => {
    const broken = structuredClone(doc);
    const me = broken.paths!['/api/v1/auth/me']!.get!;
    (me as { parameters: unknown[] }).parameters = [{ in: 'path', name: 'nope', required: true, schema: { type: 'string' } }];
    const result = await validate(broken as ParserDocument);
    expect(result.valid).toBe(false);
  });

  it('has every REST procedure and the three .ics routes, and nothing else', () => {
    const routes = operations(doc).map(([route]) => route);
    expect(routes.sort()).toEqual([...restRoutes(), ...ICS_ROUTES].sort());
    expect(routes).toHaveLength(31);
  });

  it('gives every operation an id, a summary, declared tags, a success answer and the Error body on failures', () => {
    const declared = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description]));
    for (const [route, op] of operations(doc)) {
      expect(op.operationId, route).toBeTruthy();
      expect(op.summary, route).toBeTruthy();
      expect(op.tags?.length, route).toBe(1);
      expect(declared.get(op.tags![0]!), `${route}: tag description`).toBeTruthy();
      const statuses = Object.keys(op.responses ?? {});
      expect(statuses.filter((s) => /^2\d\d$/.test(s)), route).toHaveLength(1);
      expect(statuses.some((s) => /^4\d\d$/.test(s)), route).toBe(true);
      for (const status of statuses.filter((s) => /^[45]\d\d$|^default$/.test(s))) {
        expect(op.responses![status], `${route} ${status}`).toMatchObject(errorBody);
      }
      const bearer = op.security?.some((requirement) => 'OAuth2PasswordBearer' in requirement);
      if (bearer) expect(op.responses!['401'], `${route} 401`).toMatchObject(errorBody);
      for (const parameter of (op.parameters ?? []) as Parameter[]) expect(parameter.schema, `${route} ${parameter.name}`).toBeDefined();
    }
    expect(doc.components?.schemas?.Error).toMatchObject({ required: ['code', 'message'] });
    expect(doc.components?.securitySchemes?.OAuth2PasswordBearer).toEqual({
      type: 'oauth2',
      flows: { password: { tokenUrl: '/api/v1/auth/login', scopes: {} } },
    });
    expect([...declared.keys()].sort()).toEqual([...new Set(operations(doc).flatMap(([, op]) => op.tags ?? []))].sort());
  });

  it('documents JSON request and success bodies with schemas', () => {
    for (const [route, op] of operations(doc)) {
      if (op.requestBody) {
        const content = (op.requestBody as RequestBody).content;
        expect(Object.keys(content).length, route).toBeGreaterThan(0);
        for (const media of Object.values(content)) expect(media.schema, route).toBeDefined();
      }
      const [status, ok] = Object.entries(op.responses ?? {}).find(([s]) => /^2/.test(s))!;
      const content: Record<string, MediaType> = (ok as Response).content ?? {};
      if (status !== '204') expect(Object.values(content)[0]?.schema, route).toBeDefined();
    }
  });

  it('lists the .ics routes with text/calendar answers, their parameters, security and errors', () => {
    const calendar = { content: { 'text/calendar': { schema: { type: 'string' } } } };
    const one = operation('get /api/v1/appointments/{id}/export.ics');
    expect(one.responses!['200']).toMatchObject(calendar);
    expect(one.security).toEqual([{ OAuth2PasswordBearer: [] }]);
    expect(one.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'id', required: true, schema: expect.objectContaining({ type: 'integer' }) })]);
    expect(Object.keys(one.responses!)).toEqual(expect.arrayContaining(['401', '404', '422']));

    const all = operation('get /api/v1/appointments/export-all.ics');
    expect(all.responses!['200']).toMatchObject(calendar);
    expect(all.security).toEqual([{ OAuth2PasswordBearer: [] }]);
    // The list's filters, documented identically; its paging is not a filter.
    const listFilters = (operation('get /api/v1/appointments').parameters as Parameter[]).filter((p) => !['limit', 'offset'].includes(p.name));
    expect(all.parameters).toEqual(listFilters);
    expect((all.parameters as Parameter[]).map((p) => p.name)).toEqual(['status', 'from', 'to', 'staff_id', 'client_id']);
    expect(Object.keys(all.responses!)).toEqual(expect.arrayContaining(['401', '403', '422']));

    const feed = operation('get /api/v1/calendar/feed.ics');
    expect(feed.responses!['200']).toMatchObject(calendar);
    expect(feed.security).toEqual([]);
    expect(feed.parameters).toEqual([expect.objectContaining({ in: 'query', name: 'token', required: true, schema: { type: 'string' } })]);
    expect(feed.responses!['404']).toMatchObject(errorBody);
  });
});

describe('request examples', () => {
  function examples(route: string, type = 'application/json'): unknown[] {
    const body = operation(route).requestBody as RequestBody;
    return Object.values(body.content[type]?.examples ?? {}).map((e) => (e as Example).value);
  }

  it("carry the seed README's requests", () => {
    expect(examples('post /api/v1/auth/register')[0]).toEqual({ email: 'client@example.com', full_name: 'Jane Client', password: 'password123' });
    expect(examples('post /api/v1/auth/register')[1]).toMatchObject({ email: 'staff@example.com', full_name: 'John Staff', password: 'password123', role: 'staff' });
    expect(examples('post /api/v1/auth/login', 'application/x-www-form-urlencoded')).toEqual([{ username: 'client@example.com', password: 'password123' }]);
    expect(examples('post /api/v1/auth/login')).toEqual([{ username: 'client@example.com', password: 'password123' }]);
    expect(examples('post /api/v1/availability')[0]).toEqual({ staff_id: 2, day_of_week: 0, start_time: '09:00:00', end_time: '17:00:00', is_recurring: true });
    expect(examples('post /api/v1/appointments')[0]).toEqual({ staff_id: 2, start_time: '2026-02-02T10:00:00', end_time: '2026-02-02T11:00:00', notes: 'Initial consultation' });
    expect(examples('post /api/v1/appointments/{id}/reschedule')).toEqual([
      { new_start_time: '2026-02-03T14:00:00', new_end_time: '2026-02-03T15:00:00', reason: 'Schedule conflict' },
    ]);
    expect(examples('post /api/v1/appointments/{id}/cancel')).toEqual([{ reason: expect.any(String) }]);
    // The path's id is a parameter, with its own example, never part of a body example.
    expect(operation('post /api/v1/appointments/{id}/reschedule').parameters).toContainEqual(expect.objectContaining({ in: 'path', name: 'id', example: 1 }));
  });

  it("are valid against the document's own request schemas (Ajv, JSON Schema 2020-12)", async () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const resolved = (await dereference(structuredClone(doc) as ParserDocument)) as Document;
    let checked = 0;
    for (const [route, op] of operations(resolved)) {
      const content = (op.requestBody as RequestBody | undefined)?.content ?? {};
      for (const [type, media] of Object.entries(content) as [string, MediaType][]) {
        expect(media.schema, `${route} ${type}`).not.toHaveProperty('examples');
        const check = ajv.compile(media.schema!);
        for (const [name, example] of Object.entries(media.examples ?? {})) {
          const value = (example as Example).value as unknown;
          expect(check(value) ? [] : check.errors, `${route} ${type} ${name}`).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it('are valid whole tRPC inputs: each parses with its procedure’s zod schema', () => {
    const all = inputExamples(appRouter);
    expect(all.map((e) => e.route)).toEqual(
      expect.arrayContaining(['post /api/v1/auth/register', 'post /api/v1/auth/login', 'post /api/v1/availability', 'post /api/v1/appointments', 'post /api/v1/appointments/{id}/reschedule', 'post /api/v1/appointments/{id}/cancel']),
    );
    for (const { route, input, examples: values } of all) {
      for (const value of values) {
        const result = input.safeParse(value);
        expect(result.success ? [] : result.error.issues, `${route} ${JSON.stringify(value)}`).toEqual([]);
      }
    }
  });
});
