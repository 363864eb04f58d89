import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';
import { createContextFromRequest, type Services } from '../context.ts';
import { errorHeaders, errorStatus } from '../errors.ts';
import { sendError } from '../http.ts';
import { appRouter } from '../routers/app.ts';
import { BodyError, readBody } from './body.ts';
import { cursorHeaderRoutes, isCursorHeaderRoute, withCursorHeaders } from './cursor-headers.ts';
import { restProcedures, successStatuses } from './openapi.ts';

/** The adapter's error body, `{ message, data: { code, ... } }`; undefined for anything else. */
function trpcErrorBody(chunk: string): { message: string; data: { code: string; issues?: unknown; retry_after_seconds?: number } } | undefined {
  try {
    const body: unknown = JSON.parse(chunk);
    const { message, data } = (body ?? {}) as { message?: unknown; data?: { code?: unknown } };
    return typeof message === 'string' && typeof data?.code === 'string' ? (body as ReturnType<typeof trpcErrorBody>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * trpc-to-openapi writes `{ code: <tRPC code>, ... }`; REST clients get the product's error body
 * instead: the stable code from our error formatter, the message, and field issues if any. A body
 * that is already ours (sent by sendError) passes as it is: this runs on the error path and must
 * never throw there.
 */
function withProductErrorBody(res: ServerResponse): ServerResponse {
  const end = res.end.bind(res) as (chunk?: string) => ServerResponse;
  res.end = ((chunk?: string) => {
    const error = res.statusCode >= 400 && typeof chunk === 'string' ? trpcErrorBody(chunk) : undefined;
    if (!error) return end(chunk);
    const { code, issues, retry_after_seconds } = error.data;
    return end(JSON.stringify({ code, message: error.message, issues, retry_after_seconds }));
  }) as ServerResponse['end'];
  return res;
}

export function createRestHandler(services: Services) {
  const statuses = successStatuses(appRouter);
  const cursorRoutes = cursorHeaderRoutes(restProcedures(appRouter));
  const handle = createOpenApiNodeHttpHandler({
    router: appRouter,
    createContext: ({ req }) => createContextFromRequest(services, req),
    responseMeta: ({ paths, errors }) =>
      errors.length > 0 ? { headers: errorHeaders(errors), status: errorStatus(errors) } : { status: statuses.get(paths?.[0] ?? '') ?? 200 },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') services.logger.error({ err: error.cause ?? error, path }, 'REST procedure failed');
      if (error.code === 'SERVICE_UNAVAILABLE') services.logger.warn({ err: error.cause?.cause, path }, 'database unavailable');
    },
  });

  return async (req: IncomingMessage & { body?: unknown; query?: Record<string, string[]> }, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') {
      // The adapter groups the query into a plain object, where `?constructor=` or `?__proto__=` found
      // Object.prototype's members and crashed it (500); grouped here, with no prototype, they are
      // plain keys. Methods with a body take their input from it alone, so they skip this.
      const query: Record<string, string[]> = Object.create(null);
      const url = new URL(req.url ?? '/', 'http://localhost');
      for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
      req.query = query;
      if (isCursorHeaderRoute(cursorRoutes, req, url.pathname)) {
        await handle(req, withCursorHeaders(req, withProductErrorBody(res)));
        return;
      }
    } else {
      try {
        req.body = await readBody(req);
      } catch (error) {
        if (error instanceof BodyError) return sendError(res, error.status, error.code, error.message);
        throw error;
      }
      // The body is parsed already; tell the adapter it is JSON so forms and bodiless POSTs pass its check.
      req.headers['content-type'] = 'application/json';
    }
    await handle(req, withProductErrorBody(res));
  };
}
