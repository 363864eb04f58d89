import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key';
/** Headers a page's script may read besides the simple ones. */
const EXPOSED_HEADERS = 'retry-after, x-next-cursor, link';
/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * Cross-origin access for browser pages on `origins` (e.g. a booking widget on a shop's site).
 * Auth is a bearer token, never a cookie, so no credentials mode is offered and `*` is safe to
 * allow. Returns whether the request was a preflight, answered here.
 */
export function createCors(origins: readonly string[]) {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    if (origins.length === 0 || origin === undefined) return false;
    if (!any) res.setHeader('vary', 'Origin'); // the answer differs by origin: caches must key on it
    if (!any && !allowed.has(origin)) return false;
    res.setHeader('access-control-allow-origin', any ? '*' : origin);
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return false;
    res.writeHead(204, {
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
    });
    res.end();
    return true;
  };
}
