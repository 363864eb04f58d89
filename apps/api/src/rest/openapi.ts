import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import type { AnyRouter } from '@trpc/server';
import { ERROR_CODES } from '@appointments/domain';
import type { Meta } from '../trpc.ts';
import { appRouter } from '../routers/app.ts';

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
type ProcedureDef = { _def: { meta?: Meta } };

function proceduresWithMeta(router: AnyRouter): [string, Meta][] {
  const procedures = router._def.procedures as Record<string, ProcedureDef>;
  return Object.entries(procedures).flatMap(([path, procedure]) => (procedure._def.meta ? [[path, procedure._def.meta]] : []));
}

/** Procedure path → REST success status, for the procedures that declare one (201, 204). */
export function successStatuses(router: AnyRouter): Map<string, number> {
  return new Map(proceduresWithMeta(router).flatMap(([path, meta]) => (meta.successStatus ? [[path, meta.successStatus]] : [])));
}

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
    retry_after_seconds: { type: 'integer', description: 'With 429' },
  },
};

/**
 * The OpenAPI document generated from the same zod schemas as tRPC, then aligned with what the
 * REST adapter really answers: declared success statuses and the product's error body.
 */
export function createOpenApiDocument(title: string): OpenAPIObject {
  const doc = generateOpenApiDocument(appRouter, {
    title,
    version: '1.0.0',
    baseUrl: '/',
    description: 'Appointment scheduling API. The same procedures are served over tRPC at `/trpc`.',
    securitySchemes: {
      // The seed's OAuth2 password flow: Swagger UI's "Authorize" logs in through /api/v1/auth/login.
      OAuth2PasswordBearer: { type: 'oauth2', flows: { password: { tokenUrl: '/api/v1/auth/login', scopes: {} } } },
    },
  });
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Error: errorSchema } };
  const errorResponse = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

  const metaByRoute = new Map(
    proceduresWithMeta(appRouter).flatMap(([, meta]) => (meta.openapi ? [[`${meta.openapi.method.toLowerCase()} ${meta.openapi.path}`, meta]] : [])),
  );
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    type Operation = { responses: Record<string, unknown>; security?: unknown[]; parameters?: unknown[]; requestBody?: unknown };
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      const meta = metaByRoute.get(`${method} ${path}`);
      const status = meta?.successStatus ?? 200;
      // Swagger UI then sends the token when one is set, and works without one.
      if (meta?.authOptional) operation.security = [{}, { OAuth2PasswordBearer: [] }];
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
      const ok = operation.responses['200'];
      // Replace the generator's error list with what this API really answers.
      operation.responses = {
        [status]: status === 204 ? { description: 'No content' } : ok,
        ...(operation.parameters?.length || operation.requestBody ? { 422: { ...errorResponse, description: 'Invalid input (VALIDATION.FAILED)' } } : {}),
        ...(operation.security ? { 401: { ...errorResponse, description: 'Missing, invalid or expired token' } } : {}),
        ...Object.fromEntries(Object.entries(meta?.openapi?.errorResponses ?? {}).map(([code, description]) => [code, { ...errorResponse, description }])),
        default: errorResponse,
      };
    }
  }
  // The generator's own error schemas are no longer referenced: drop them from the document.
  const references = JSON.stringify(doc);
  const schemas = doc.components.schemas ?? {};
  for (const name of Object.keys(schemas)) {
    if (!references.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
  }
  return doc;
}
