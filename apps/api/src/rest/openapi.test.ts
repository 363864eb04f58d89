import { compileErrors, dereference, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { OpenAPIObject } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequestDateTime } from '@appointments/domain';
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

/** The parts of a JSON Schema these tests read. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  examples?: unknown[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  exclusiveMinimum?: number;
}

function component(name: string): Schema {
  const schema = doc.components?.schemas?.[name] as Schema | undefined;
  if (!schema) throw new Error(`no component ${name}`);
  return schema;
}

/**
 * The example a docs UI shows for a schema, built as Swagger UI and ReDoc build theirs: the schema's
 * own example, else one made of its parts'. `undefined` marks a value they would make up ("string", 0).
 */
function sample(schema: Schema): unknown {
  if (schema.$ref) return sample(component(schema.$ref.replace('#/components/schemas/', '')));
  if (schema.examples?.length) return schema.examples[0];
  if ('const' in schema) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.anyOf?.length) return sample(schema.anyOf[0]!);
  if (schema.type === 'object') return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sample(value)]));
  if (schema.type === 'array' && schema.items) return [sample(schema.items)];
  return undefined;
}

/** Where in a sample a docs UI would make a value up. */
function madeUp(value: unknown, at = ''): string[] {
  if (value === undefined) return [at];
  if (Array.isArray(value)) return value.flatMap((item, i) => madeUp(item, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => madeUp(item, `${at}.${key}`));
  return [];
}

/** Every integer schema in the document, named by its property or parameter. */
function integers(node: unknown, name: string): [name: string, schema: Schema][] {
  if (Array.isArray(node)) return node.flatMap((item) => integers(item, name));
  if (!node || typeof node !== 'object') return [];
  const found: [string, Schema][] = (node as Schema).type === 'integer' ? [[name, node as Schema]] : [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' || key === 'example') continue;
    if (key === 'properties') for (const [property, schema] of Object.entries(value as Record<string, unknown>)) found.push(...integers(schema, property));
    else if (key === 'parameters') for (const parameter of value as Parameter[]) found.push(...integers(parameter.schema, parameter.name));
    else found.push(...integers(value, name));
  }
  return found;
}

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
    expect(routes).toHaveLength(60);
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
      description: expect.stringMatching(/`username` is its email address/),
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
      // Bodiless: 204, and a 202 that only acknowledges (an emailed link is on its way, or not).
      const bodiless = status === '204' || (status === '202' && (ok as Response).description === 'Accepted; nothing to answer');
      if (!bodiless) expect(Object.values(content)[0]?.schema, route).toBeDefined();
      else expect(content, route).toEqual({});
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
    const listFilters = (operation('get /api/v1/appointments').parameters as Parameter[]).filter((p) => !['limit', 'offset', 'cursor'].includes(p.name));
    expect(all.parameters).toEqual(listFilters);
    expect((all.parameters as Parameter[]).map((p) => p.name)).toEqual(['status', 'from', 'to', 'staff_id', 'client_id']);
    expect(Object.keys(all.responses!)).toEqual(expect.arrayContaining(['401', '403', '422']));

    const feed = operation('get /api/v1/calendar/feed.ics');
    expect(feed.responses!['200']).toMatchObject(calendar);
    expect(feed.security).toEqual([]);
    expect(feed.parameters).toEqual([expect.objectContaining({ in: 'query', name: 'token', required: true, schema: { type: 'string' } })]);
    expect(feed.responses!['404']).toMatchObject(errorBody);
  });

  it('describes slots by staff member or by service: every query parameter optional, and a Slot whose service fields are optional', () => {
    const slots = operation('get /api/v1/availability/slots');
    const parameters = slots.parameters as Parameter[];
    expect(parameters.map((p) => [p.name, p.required ?? false])).toEqual([
      ['staff_id', false],
      ['service_id', false],
      ['date', false],
      ['from', false],
      ['to', false],
      ['slot_duration', false],
    ]);
    const slot = component('Slot');
    expect(Object.keys(slot.properties ?? {})).toEqual(['start_time', 'end_time', 'staff_ids', 'seats_left']);
    expect(slot.required).toEqual(['start_time', 'end_time']);
    for (const field of ['staff_ids', 'seats_left']) expect(slot.properties![field]!.description, field).toBeTruthy();
  });

  it('documents booking as a guest: the token optional, a `guest` body with its required fields, an example, and the guest refusals', () => {
    const booking = operation('post /api/v1/appointments');
    expect(booking.security).toEqual([{}, { OAuth2PasswordBearer: [] }]);
    const body = (booking.requestBody as RequestBody).content['application/json']!;
    const guest = (body.schema as Schema).properties!.guest!;
    expect(guest.required).toEqual(['email', 'full_name']);
    expect(Object.keys(guest.properties ?? {})).toEqual(['email', 'full_name', 'timezone', 'locale']);
    expect(guest.description).toMatch(/without a token/);
    expect(Object.values(body.examples ?? {}).map((e) => (e as Example).value)).toContainEqual(expect.objectContaining({ guest: expect.objectContaining({ email: 'guest@example.com' }) }));
    expect(Object.keys(booking.responses ?? {})).toEqual(expect.arrayContaining(['201', '401', '403', '409', '422', '429']));
    expect(booking.description).toMatch(/GUEST_BOOKINGS_PER_HOUR/);
  });

  it('documents cursor paging: a cursor on every list; a bare array and the next cursor in headers, or next_cursor in the page', () => {
    const lists = ['get /api/v1/appointments', 'get /api/v1/services', 'get /api/v1/staff', 'get /api/v1/webhooks', 'get /api/v1/webhooks/{id}/deliveries', 'get /api/v1/users', 'get /api/v1/admin/notifications'];
    for (const route of lists) {
      expect((operation(route).parameters as Parameter[]).find((p) => p.name === 'cursor'), route).toMatchObject({ in: 'query', schema: { type: 'string' } });
    }
    for (const route of lists.slice(0, 5)) {
      const ok = operation(route).responses!['200'] as Response;
      expect(Object.keys(ok.headers ?? {}), route).toEqual(['X-Next-Cursor', 'Link']);
      expect(ok.content!['application/json']!.schema, route).toMatchObject({ type: 'array' });
    }
    const pages = doc.components!.schemas! as Record<string, { properties: Record<string, unknown> }>;
    for (const page of ['UserPage', 'NotificationPage']) expect(pages[page]!.properties.next_cursor, page).toMatchObject({ type: ['string', 'null'] });
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

describe('answers as the docs show them', () => {
  function successSchemas(): [route: string, schema: Schema][] {
    return operations(doc).flatMap(([route, op]) => {
      const [, ok] = Object.entries(op.responses ?? {}).find(([status]) => /^2/.test(status))!;
      const schema = (ok as Response).content?.['application/json']?.schema as Schema | undefined;
      return schema ? [[route, schema] as [string, Schema]] : [];
    });
  }

  it('have an example for every field, valid against the answer’s own schema, with no made-up values', async () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
    const resolved = (await dereference(structuredClone(doc) as ParserDocument)) as Document;
    const resolvedOps = new Map(operations(resolved));
    const checked = successSchemas().map(([route, schema]) => {
      const value = sample(schema);
      expect(madeUp(value), `${route}: fields without an example`).toEqual([]);
      expect(JSON.stringify(value), route).not.toMatch(/9007199254740991|"string"/);
      const [, ok] = Object.entries(resolvedOps.get(route)!.responses ?? {}).find(([status]) => /^2/.test(status))!;
      const check = ajv.compile((ok as Response).content!['application/json']!.schema!);
      expect(check(value) ? [] : check.errors, route).toEqual([]);
      return route;
    });
    expect(checked.length).toBeGreaterThanOrEqual(25);
    // The error body too: one whole, consistent example.
    expect(madeUp(sample(component('Error')))).toEqual([]);
    expect(ajv.compile(resolved.components!.schemas!.Error!)(sample(component('Error')))).toBe(true);
  });

  it('tell one story: the booking example’s appointment, in UTC, in its staff member’s zone, then its history', () => {
    const user = sample(component('User')) as { id: number; timezone: string; created_at: string };
    type Span = { start_time: string; end_time: string };
    const appointment = sample(component('Appointment')) as Span & { created_at: string; updated_at: string; staff_id: number; client_id: number };
    const slot = sample(component('Slot')) as Span;
    const event = sample(component('AppointmentEvent')) as { at: string; to_start_time: string; to_end_time: string };
    const instants = [appointment.start_time, appointment.end_time, appointment.created_at, appointment.updated_at, slot.start_time, slot.end_time, event.at, user.created_at];
    for (const instant of instants) expect(instant).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(() => new Intl.DateTimeFormat('en', { timeZone: user.timezone })).not.toThrow();
    expect(user.timezone).toBe('Europe/Berlin');
    expect(appointment.client_id).toBe(user.id);

    // The booking request's local times, read in the staff member's zone, are the answer's instants.
    const booking = (operation('post /api/v1/appointments').requestBody as RequestBody).content['application/json']!.examples!;
    const request = (Object.values(booking)[0] as Example).value as Span & { staff_id: number };
    expect(appointment.staff_id).toBe(request.staff_id);
    expect(new Date(parseRequestDateTime(request.start_time, user.timezone)).toISOString()).toBe(appointment.start_time);
    expect(new Date(parseRequestDateTime(request.end_time, user.timezone)).toISOString()).toBe(appointment.end_time);
    const at = Date.parse;
    expect(at(appointment.end_time)).toBeGreaterThan(at(appointment.start_time));
    expect(at(user.created_at)).toBeLessThanOrEqual(at(appointment.created_at));
    expect(at(appointment.created_at)).toBeLessThanOrEqual(at(appointment.start_time));
    // A free slot is not the booked hour.
    expect(at(slot.end_time)).toBeGreaterThan(at(slot.start_time));
    expect(at(slot.start_time) >= at(appointment.end_time) || at(slot.end_time) <= at(appointment.start_time)).toBe(true);
    // The history moves that appointment, later than it was booked.
    expect(event).toMatchObject({ action: 'rescheduled', from_start_time: appointment.start_time, from_end_time: appointment.end_time, actor_id: user.id });
    expect(at(event.to_end_time)).toBeGreaterThan(at(event.to_start_time));
    expect(at(event.at)).toBeGreaterThan(at(appointment.created_at));
  });

  it('say that counts and ids are never negative: minimum 0, and 1 for ids', () => {
    const found = integers(doc, '');
    expect(found.length).toBeGreaterThanOrEqual(60);
    for (const [name, schema] of found) {
      expect(schema.exclusiveMinimum, name).toBeUndefined();
      expect(schema.minimum, name).toBeGreaterThanOrEqual(name === 'id' || name.endsWith('_id') ? 1 : 0);
    }
  });
});

describe('login', () => {
  it('takes the account email as `username` or `email` in JSON; the OAuth2 form names it `username`, as before', () => {
    const content = (operation('post /api/v1/auth/login').requestBody as RequestBody).content;
    const json = content['application/json']!.schema as Schema;
    expect(Object.keys(json.properties ?? {})).toEqual(['username', 'email', 'password']);
    expect(json.required).toEqual(['password']);
    const form = content['application/x-www-form-urlencoded']!.schema as Schema;
    expect(Object.keys(form.properties ?? {})).toEqual(['username', 'password']);
    expect([...(form.required ?? [])].sort()).toEqual(['password', 'username']);
  });
});
