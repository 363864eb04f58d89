import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Meta } from '../trpc.ts';

export const NEXT_CURSOR_HEADER = 'X-Next-Cursor';

/** `GET /api/v1/…` as the adapter matches it: one leading slash, no trailing one, any case. */
const routeKey = (method: string, path: string) => `${method} /${path.replace(/^\/|\/$/g, '')}`.toLowerCase();

/** A route as a pattern of request keys: each `{param}` stands for one path segment. */
function routePattern(method: string, path: string): RegExp {
  const literal = (part: string) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${routeKey(method, path).split(/\{\w+\}/).map(literal).join('[^/]+')}$`);
}

/** The REST routes of the procedures (restProcedures) with `cursorInHeaders`. */
export function cursorHeaderRoutes(procedures: readonly { readonly meta: Meta }[]): RegExp[] {
  return procedures.flatMap(({ meta }) => (meta.cursorInHeaders && meta.openapi ? [routePattern(meta.openapi.method, meta.openapi.path)] : []));
}

export function isCursorHeaderRoute(routes: readonly RegExp[], req: IncomingMessage, pathname: string): boolean {
  const key = routeKey(req.method ?? '', pathname);
  return routes.some((route) => route.test(key));
}

/** The request's own URL (path and query, relative) with `cursor` in place of any offset or cursor it had. */
function nextUrl(requestUrl: string, cursor: string): string {
  const url = new URL(requestUrl, 'http://localhost');
  url.searchParams.delete('offset');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}${url.search}`;
}

/**
 * The answer of a `cursorInHeaders` procedure, `{ items, next_cursor }`, goes out as REST clients
 * know it: the items as a bare array, the next cursor (when there is a next page) in
 * `X-Next-Cursor` and in a `Link` to the next page. Error answers pass as they are.
 */
export function withCursorHeaders(req: IncomingMessage, res: ServerResponse): ServerResponse {
  const end = res.end.bind(res) as (chunk?: string) => ServerResponse;
  res.end = ((chunk?: string) => {
    if (res.statusCode !== 200 || typeof chunk !== 'string') return end(chunk);
    const { items, next_cursor: cursor } = JSON.parse(chunk) as { items: unknown[]; next_cursor: string | null };
    if (cursor !== null) {
      res.setHeader(NEXT_CURSOR_HEADER, cursor);
      res.setHeader('Link', `<${nextUrl(req.url ?? '/', cursor)}>; rel="next"`);
    }
    return end(JSON.stringify(items));
  }) as ServerResponse['end'];
  return res;
}
