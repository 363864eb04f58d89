import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import type { AnyRouter } from '@trpc/server';
import { z } from 'zod';
import { ERROR_CODES } from '@appointments/domain';
import { INPUT_INVALID } from '../errors.ts';
import type { Meta } from '../trpc.ts';
import { appRouter } from '../routers/app.ts';
import { FEED_PATH } from '../routers/calendar/feeds.schema.ts';
import { NOT_AN_ID } from '../routers/common.schema.ts';
import { NEXT_CURSOR_HEADER } from './cursor-headers.ts';

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
type PathItem = NonNullable<OpenAPIObject['paths']>[string];
type Operation = NonNullable<PathItem['get']>;
type Parameter = Extract<NonNullable<Operation['parameters']>[number], { in: unknown }>;
type ProcedureDef = { _def: { meta?: Meta; inputs?: unknown[] } };

/** A procedure with metadata (exposed over REST when it has `meta.openapi`) and its tRPC input parser. */
export interface RestProcedure {
  readonly path: string;
  readonly meta: Meta;
  readonly input: z.ZodType | undefined;
}

export function restProcedures(router: AnyRouter): RestProcedure[] {
  const procedures = router._def.procedures as Record<string, ProcedureDef>;
  return Object.entries(procedures).flatMap(([path, procedure]) => {
    const input = procedure._def.inputs?.[0];
    return procedure._def.meta ? [{ path, meta: procedure._def.meta, input: input instanceof z.ZodType ? input : undefined }] : [];
  });
}

/** Procedure path → REST success status, for the procedures that declare one (201, 204). */
export function successStatuses(router: AnyRouter): Map<string, number> {
  return new Map(restProcedures(router).flatMap(({ path, meta }) => (meta.successStatus ? [[path, meta.successStatus]] : [])));
}

/**
 * The `.meta({ examples })` of each REST procedure's input: whole tRPC inputs, path parameters
 * included. Read from zod itself because zod leaves `examples` out of the JSON Schema of an input
 * that transforms (register's email, a user's time zone).
 */
export function inputExamples(router: AnyRouter): { route: string; input: z.ZodType; examples: unknown[] }[] {
  return restProcedures(router).flatMap(({ meta, input }) => {
    const examples = input?.meta()?.examples;
    if (!meta.openapi || !input || !Array.isArray(examples)) return [];
    return [{ route: `${meta.openapi.method.toLowerCase()} ${meta.openapi.path}`, input, examples }];
  });
}

const TAGS = [
  { name: 'auth', description: 'Sign-up, OAuth2 password login for a bearer token, the current user, logout.' },
  { name: 'users', description: 'Accounts: the list (admin), profile and password changes, deactivation, lifting a no-show block.' },
  { name: 'staff', description: "A staff member's booking rules: buffers, minimum notice, booking horizon, slot interval." },
  { name: 'services', description: 'The catalogue: what is offered, how long it takes, where, at what price, by whom (admins write).' },
  { name: 'availability', description: 'Weekly hours, hours on a date, time off, and the free slots they leave.' },
  { name: 'appointments', description: 'Booking, listing, changes, cancellation, rescheduling, completion and no-shows, each recorded in a history.' },
  { name: 'manage', description: 'The links in a client’s emails: see, reschedule or cancel one appointment without logging in, as of the version the email describes.' },
  { name: 'calendar', description: 'iCalendar (.ics) exports and personal subscription feeds for calendar apps.' },
  { name: 'notifications', description: 'Email notifications and their delivery (admin).' },
  { name: 'webhooks', description: 'Endpoints that receive signed event deliveries (Standard Webhooks), their secrets and delivery logs (admin).' },
  { name: 'api-keys', description: 'Keys for other systems: an admin’s reach within their scopes, shown once, revoked at once (admins signed in manage them).' },
];

const errorSchema: SchemaObject = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable machine code', examples: Object.keys(ERROR_CODES) },
    message: { type: 'string', description: 'Human-readable explanation' },
    issues: {
      type: 'array',
      description: 'Field problems, for VALIDATION.FAILED',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
    retry_after_seconds: { type: 'integer', minimum: 0, description: 'With 429' },
  },
  // One whole error: the fields' own examples would pair the first code with any message.
  examples: [{ code: 'VALIDATION.FAILED', message: INPUT_INVALID, issues: [{ path: 'id', message: NOT_AN_ID }] }],
};
/** A success answer documented with an empty schema: the procedure's output is void, so the answer has no body. */
function withoutBody(response: unknown): boolean {
  const schema = (response as { content?: Record<string, { schema?: object }> } | undefined)?.content?.['application/json']?.schema;
  return schema !== undefined && Object.keys(schema).length === 0;
}

const errorResponse = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const error = (description: string) => ({ ...errorResponse, description });
const BEARER = [{ OAuth2PasswordBearer: [] }];
/** Where the OAuth2 password flow gets its token: the login operation. */
export const TOKEN_URL = '/api/v1/auth/login';

/** Request examples go on the media types, without the path's parameters (those come from the URL). */
function placeExamples(operation: Operation, examples: unknown[]): void {
  const parameters = (operation.parameters ?? []) as Parameter[];
  const fromPath = parameters.filter((p) => p.in === 'path');
  for (const parameter of fromPath) {
    const first = examples[0];
    if (first && typeof first === 'object' && parameter.name in first) parameter.example = (first as Record<string, unknown>)[parameter.name];
  }
  const content = operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content : {};
  const bodies = examples.map((example) =>
    example && typeof example === 'object' ? Object.fromEntries(Object.entries(example).filter(([key]) => !fromPath.some((p) => p.name === key))) : example,
  );
  for (const media of Object.values(content)) {
    if (media.schema && !('$ref' in media.schema)) delete media.schema.examples;
    media.examples = Object.fromEntries(bodies.map((value, i) => [`example${i + 1}`, { value }]));
  }
}

/**
 * A `cursorInHeaders` answer as REST sends it (rest/cursor-headers.ts): the generated
 * `{ items, next_cursor }` becomes the bare array of items, and the cursor two headers.
 */
function itemsWithCursorHeaders(response: unknown): unknown {
  const { content, ...rest } = response as { content: Record<string, { schema: SchemaObject & { properties: { items: SchemaObject } } }> };
  const json = content['application/json']!;
  return {
    ...rest,
    headers: {
      [NEXT_CURSOR_HEADER]: { description: 'Only when another page follows: pass it as `cursor` to read it', schema: { type: 'string' } },
      Link: { description: 'Only when another page follows: `<the same request with this cursor>; rel="next"` (RFC 8288)', schema: { type: 'string' } },
    },
    content: { ...content, 'application/json': { ...json, schema: json.schema.properties.items } },
  };
}

/**
 * The login form is the OAuth2 password grant's (RFC 6749 §4.3.2, what Swagger UI's Authorize
 * posts): it names the account `username`. `email` in its place is for JSON bodies.
 */
function passwordGrantForm(operation: Operation): void {
  const content = operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content : {};
  const form = content['application/x-www-form-urlencoded'];
  if (!form?.schema || '$ref' in form.schema) return;
  const { email: _json, ...properties } = form.schema.properties ?? {};
  form.schema = { ...form.schema, properties, required: ['username', ...(form.schema.required ?? [])] };
}

/**
 * The raw .ics routes (rest/ics.ts), which trpc-to-openapi cannot see. The export-all filters are
 * the list operation's own parameters, so the two cannot drift apart.
 */
function icsPaths(listParameters: Parameter[], idParameter: Parameter | undefined): Record<string, PathItem> {
  const calendar = (description: string, disposition?: string) => ({
    description,
    ...(disposition && { headers: { 'Content-Disposition': { description: `e.g. \`${disposition}\``, schema: { type: 'string' } } } }),
    content: { 'text/calendar': { schema: { type: 'string' } } },
  });
  const filters = listParameters.filter((p) => ['status', 'from', 'to', 'staff_id', 'client_id'].includes(p.name));
  return {
    '/api/v1/appointments/{id}/export.ics': {
      get: {
        operationId: 'calendar-exportAppointment',
        tags: ['calendar'],
        summary: 'One appointment as an iCalendar file',
        security: BEARER,
        parameters: idParameter ? [{ ...idParameter, example: 1 }] : [],
        responses: {
          200: calendar('A VCALENDAR with one VEVENT', 'attachment; filename="appointment-1.ics"'),
          401: error('Missing, invalid or expired token'),
          404: error('No such appointment (or not yours)'),
          422: error('Invalid id (VALIDATION.FAILED)'),
          default: errorResponse,
        },
      },
    },
    '/api/v1/appointments/export-all.ics': {
      get: {
        operationId: 'calendar-exportAppointments',
        tags: ['calendar'],
        summary: 'Every appointment you may see, filtered as the list is, as one iCalendar file',
        security: BEARER,
        parameters: filters,
        responses: {
          200: calendar('A VCALENDAR with a VEVENT per appointment (up to 10,000)', 'attachment; filename="appointments.ics"'),
          401: error('Missing, invalid or expired token'),
          403: error('Filter names someone else'),
          422: error('Invalid filter (VALIDATION.FAILED)'),
          default: errorResponse,
        },
      },
    },
    [FEED_PATH]: {
      get: {
        operationId: 'calendar-feed',
        tags: ['calendar'],
        summary: 'A calendar subscription: your own appointments, for calendar apps',
        description: 'The `token` from `POST /api/v1/calendar/feeds` stands for its owner: calendar apps send no Authorization header.',
        security: [],
        parameters: [{ in: 'query', name: 'token', required: true, description: 'The feed token (shown once, when the feed was created)', schema: { type: 'string' } }],
        responses: {
          200: calendar('A VCALENDAR of the owner’s appointments'),
          404: error('No feed for this token (CALENDAR.FEED_NOT_FOUND; it may have been revoked)'),
          default: errorResponse,
        },
      },
    },
  };
}

/**
 * The OpenAPI document generated from the same zod schemas as tRPC, then aligned with what the
 * REST adapter really answers: declared success statuses, the product's error body, request
 * examples, and the .ics routes served beside the adapter.
 */
export function createOpenApiDocument(title: string): OpenAPIObject {
  const doc = generateOpenApiDocument(appRouter, {
    title,
    version: '1.0.0',
    baseUrl: '/',
    description: 'Appointment scheduling API. The same procedures are served over tRPC at `/trpc`.',
    securitySchemes: {
      // The seed's OAuth2 password flow: Swagger UI's "Authorize" logs in through /api/v1/auth/login.
      OAuth2PasswordBearer: {
        type: 'oauth2',
        description: 'Log in with your account: `username` is its email address. No client_id or client_secret is needed.',
        flows: { password: { tokenUrl: TOKEN_URL, scopes: {} } },
      },
    },
  });
  doc.tags = TAGS;
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Error: errorSchema } };

  const metaByRoute = new Map(
    restProcedures(appRouter).flatMap(({ meta }) => (meta.openapi ? [[`${meta.openapi.method.toLowerCase()} ${meta.openapi.path}`, meta]] : [])),
  );
  const examplesByRoute = new Map(inputExamples(appRouter).map(({ route, examples }) => [route, examples]));
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      const meta = metaByRoute.get(`${method} ${path}`);
      const status = meta?.successStatus ?? 200;
      // Swagger UI then sends the token when one is set, and works without one.
      if (meta?.authOptional) operation.security = [{}, ...BEARER];
      if (meta?.scope) operation.description = [operation.description, `An API key needs the \`${meta.scope}\` scope.`].filter(Boolean).join('\n\n');
      if (meta?.idempotent) {
        operation.parameters = [
          ...(operation.parameters ?? []),
          {
            in: 'header',
            name: 'Idempotency-Key',
            required: false,
            description: 'Repeat the request with the same key and body to get the first answer again instead of a second booking.',
            schema: { type: 'string', maxLength: 255 },
          },
        ];
      }
      const examples = examplesByRoute.get(`${method} ${path}`);
      if (examples) placeExamples(operation, examples);
      if (method === 'post' && path === TOKEN_URL) passwordGrantForm(operation);
      const ok = meta?.cursorInHeaders ? itemsWithCursorHeaders(operation.responses?.['200']) : (operation.responses?.['200'] as unknown);
      // Replace the generator's error list with what this API really answers.
      operation.responses = {
        [status]: status === 204 ? { description: 'No content' } : status === 202 && withoutBody(ok) ? { description: 'Accepted; nothing to answer' } : ok,
        ...(operation.parameters?.length || operation.requestBody ? { 422: error('Invalid input (VALIDATION.FAILED)') } : {}),
        ...(operation.security ? { 401: error('Missing, invalid or expired token') } : {}),
        ...Object.fromEntries(Object.entries(meta?.openapi?.errorResponses ?? {}).map(([code, description]) => [code, error(description)])),
        default: errorResponse,
      };
    }
  }
  const list = doc.paths?.['/api/v1/appointments']?.get;
  const one = doc.paths?.['/api/v1/appointments/{id}']?.get;
  const pathId = ((one?.parameters ?? []) as Parameter[]).find((p) => p.in === 'path' && p.name === 'id');
  doc.paths = { ...doc.paths, ...icsPaths((list?.parameters ?? []) as Parameter[], pathId) };

  // The generator's own error schemas are no longer referenced: drop them from the document.
  const references = JSON.stringify(doc);
  const schemas = doc.components.schemas ?? {};
  for (const name of Object.keys(schemas)) {
    if (!references.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
  }
  return doc;
}
