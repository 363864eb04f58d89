import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { Database, isDatabaseUnavailable } from '@appointments/db';
import { httpOrigin, manageTokens, publicUrlOf } from '@appointments/runtime';
import { Throttle } from './auth/throttle.ts';
import { warmUpPasswordHashing } from './auth/passwords.ts';
import { ensureAdmin } from './bootstrap.ts';
import { createContextFromRequest, type Services } from './context.ts';
import { createCors } from './cors.ts';
import { accountLinkTemplates, policiesFrom, type ApiEnv } from './env.ts';
import { databaseUnavailable, errorHeaders, errorStatus } from './errors.ts';
import { answerSocket, sendError, sendJson } from './http.ts';
import { createLogger, type Logger } from './logger.ts';
import { createDocsRoutes } from './rest/docs.ts';
import { createIcsRoutes } from './rest/ics.ts';
import { MAX_BODY_BYTES } from './rest/body.ts';
import { createRestHandler } from './rest/handler.ts';
import { createOpenApiDocument } from './rest/openapi.ts';
import { collectionJson, createPostmanCollection } from './rest/postman.ts';
import { loggedPath, originForm } from './request-target.ts';
import { appRouter } from './routers/app.ts';
import { serviceSlotCacheFor } from './routers/availability/service-slot-cache.ts';
import { slotCacheFor } from './routers/availability/slot-cache.ts';
import { createSlotsFastPath, SLOTS_PATH } from './routers/availability/slots.fast-path.ts';

/** What `OPTIONS *` answers: the methods some route of this server takes. */
const SERVER_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

function hostHeaders(req: IncomingMessage): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'host') count++;
  return count;
}

/** The typed client's httpBatchLink uses the same `maxItems`. */
const MAX_BATCH_SIZE = 20;

/** The 503 a tRPC procedure would give, for the routes outside tRPC. */
function sendUnavailable(res: ServerResponse): void {
  const { code, message, details } = databaseUnavailable();
  sendError(res, 503, code, message, { 'retry-after': String(details?.retry_after_seconds) });
}

export interface ServerOptions {
  readonly env: ApiEnv & { readonly SECRET_KEY: string };
  readonly logger?: Logger;
}

/** Builds the whole API on one node:http server: tRPC, REST, OpenAPI, docs, health. */
export async function createServer({ env, logger = createLogger(env.LOG_LEVEL, env.NODE_ENV) }: ServerOptions) {
  const db = await Database.open(env.database, { queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_SECONDS * 1000 });
  await warmUpPasswordHashing();
  let createdAdmin: string | undefined;
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD && (await ensureAdmin(db, logger, env.ADMIN_EMAIL, env.ADMIN_PASSWORD, env.DEFAULT_TIMEZONE))) createdAdmin = env.ADMIN_EMAIL;

  // Without PUBLIC_URL, links point where this server listens, known once it does (PORT may be 0).
  let publicUrl = publicUrlOf(env);
  const services: Services = {
    db,
    logger,
    throttle: new Throttle(db, logger),
    manageTokens: manageTokens(env.SECRET_KEY),
    settings: {
      get publicUrl() {
        return publicUrl;
      },
      sessionLifetimeMs: env.ACCESS_TOKEN_EXPIRE_MINUTES * 60_000,
      defaultTimezone: env.DEFAULT_TIMEZONE,
      trustProxy: env.TRUST_PROXY,
      limits: {
        account: { maxAttempts: env.LOGIN_MAX_FAILURES, windowMs: env.LOGIN_THROTTLE_WINDOW_MINUTES * 60_000 },
        address: { maxAttempts: env.LOGIN_MAX_FAILURES * 4, windowMs: env.LOGIN_THROTTLE_WINDOW_MINUTES * 60_000 },
        registration: { maxAttempts: env.REGISTER_MAX_PER_HOUR, windowMs: 3_600_000 },
        guestBooking: { maxAttempts: env.GUEST_BOOKINGS_PER_HOUR, windowMs: 3_600_000 },
        // As lenient as password checks per address: a real link never counts, only tokens that are not ours.
        manageLinks: { maxAttempts: env.LOGIN_MAX_FAILURES * 4, windowMs: env.LOGIN_THROTTLE_WINDOW_MINUTES * 60_000 },
        accountEmail: { maxAttempts: env.ACCOUNT_EMAILS_MAX_PER_HOUR, windowMs: 3_600_000 },
        accountEmailAddress: { maxAttempts: env.ACCOUNT_EMAILS_MAX_PER_HOUR * 4, windowMs: 3_600_000 },
      },
      guestBooking: env.GUEST_BOOKING,
      ...policiesFrom(env),
      webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      accountLinks: accountLinkTemplates(env),
      requireVerifiedEmail: env.REQUIRE_VERIFIED_EMAIL,
    },
  };

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: ({ req }) => createContextFromRequest(services, req),
    // Errors raised before any procedure runs (batch too large, mixed types) come without a content type: they are JSON.
    responseMeta: ({ errors }) => ({ status: errorStatus(errors), headers: { ...(errors.length > 0 && { 'content-type': 'application/json' }), ...errorHeaders(errors) } }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error.cause ?? error, path }, 'tRPC procedure failed');
      if (error.code === 'SERVICE_UNAVAILABLE') logger.warn({ err: error.cause?.cause, path }, 'database unavailable');
    },
    maxBodySize: MAX_BODY_BYTES,
    // A batch runs its calls in parallel: unbounded, one request could carry thousands of Argon2 checks.
    maxBatchSize: MAX_BATCH_SIZE,
  });
  const rest = createRestHandler(services);
  const serveDocs = createDocsRoutes(env.PROJECT_NAME);
  const serveIcs = createIcsRoutes(services, { uidDomain: env.CALENDAR_UID_DOMAIN, organizationName: env.ORGANIZATION_NAME, includeNotes: env.NOTES_IN_CALENDAR });
  const serveCachedSlots = createSlotsFastPath(slotCacheFor(db), serviceSlotCacheFor(db));
  const cors = createCors(env.CORS_ORIGINS);
  const openApiJson = JSON.stringify(createOpenApiDocument(env.PROJECT_NAME));
  // The Postman collection is made on its first request and kept; a failed attempt is not kept.
  let postmanJson: Promise<string> | undefined;
  const postman = () =>
    (postmanJson ??= createPostmanCollection(openApiJson).then(collectionJson, (error: unknown) => {
      postmanJson = undefined;
      throw error;
    }));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    // Answers carry tokens and personal data: no shared cache keeps them. Docs assets override this.
    res.setHeader('cache-control', 'no-store');
    // RFC 9112 §3.2: exactly one Host on HTTP/1.1 (node:http's own check answers without a body, so it is off).
    const hosts = hostHeaders(req);
    if (hosts > 1 || (hosts === 0 && req.httpVersion === '1.1')) return sendError(res, 400, 'REQUEST.BAD_REQUEST', 'An HTTP/1.1 request needs exactly one Host header');
    const url = originForm(req.url ?? '/');
    if (url === undefined) {
      // `OPTIONS *` asks about the server as a whole; no other method may target it.
      if (req.url === '*' && req.method === 'OPTIONS') {
        res.writeHead(204, { allow: SERVER_METHODS });
        return void res.end();
      }
      return sendError(res, 400, 'REQUEST.BAD_REQUEST', 'The request target must be a path or an http(s) URL');
    }
    // Every handler below (tRPC, the REST adapter, the .ics routes) reads the target as a path.
    req.url = url;
    if (cors(req, res)) return;
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    if (path === '/trpc' || path.startsWith('/trpc/')) return trpc(req, res);
    if (path === SLOTS_PATH && req.method === 'GET' && (await serveCachedSlots(queryAt < 0 ? '' : url.slice(queryAt + 1), res))) return;
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        if (await db.isReady()) return sendJson(res, 200, { status: 'ready', database: db.dialect });
        return sendUnavailable(res);
      }
      if (path === '/openapi.json' || path === '/postman.json') {
        const body = path === '/openapi.json' ? openApiJson : await postman();
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
        return void res.end(body);
      }
      if (path === '/') {
        res.writeHead(302, { location: '/docs' });
        return void res.end();
      }
      if (serveDocs(path, res)) return;
      if (await serveIcs(req, res, path)) return;
    }
    return rest(req, res);
  }

  // Checked once: at the default level (info) every request is logged; above it, not even timed.
  const logRequests = logger.isLevelEnabled('info');
  const server = createHttpServer({ requireHostHeader: false }, (req, res) => {
    if (logRequests) {
      const started = performance.now();
      res.once('finish', () =>
        logger.info({ method: req.method, path: loggedPath(req.url), status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request'),
      );
    }
    handle(req, res).catch((error: unknown) => answerFailure(req, res, error));
  });

  /** The last resort for one request: logged and answered, and nothing here may throw (it would end the process). */
  function answerFailure(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    try {
      const unavailable = isDatabaseUnavailable(error);
      logger[unavailable ? 'warn' : 'error']({ err: error, path: loggedPath(req.url) }, unavailable ? 'database unavailable' : 'unhandled request error');
      if (res.headersSent) return void res.destroy();
      // Routes outside tRPC (the .ics feeds) get the same 503 as procedures do.
      if (unavailable) sendUnavailable(res);
      else sendError(res, 500, 'INTERNAL.ERROR', 'Internal server error');
    } catch {
      res.destroy();
    }
  }

  // Requests node:http refuses before they reach us (a URL or headers over its limit, broken HTTP)
  // get the JSON error body too, instead of Node's bodiless 431/400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    const [status, reason, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'REQUEST.PAYLOAD_TOO_LARGE', 'The URL or headers are too large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'REQUEST.TIMEOUT', 'The request took too long to arrive']
          : [400, 'Bad Request', 'REQUEST.BAD_REQUEST', 'Malformed HTTP request'];
    answerSocket(socket, status, reason, code, message);
  });
  // CONNECT (the authority form) is for proxies; unanswered, node:http would just drop the connection.
  server.on('connect', (_req, socket) => answerSocket(socket, 405, 'Method Not Allowed', 'REQUEST.METHOD_NOT_SUPPORTED', 'CONNECT is not supported'));

  return {
    services,
    server,
    /** The bootstrap admin's email when this start created that account. */
    createdAdmin,
    /** Listens on HOST:PORT (PORT 0 picks a free port); resolves with the base URL. */
    async start(): Promise<string> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(env.PORT, env.HOST, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const url = httpOrigin(env.HOST, port);
      publicUrl = env.PUBLIC_URL ?? url;
      logger.info({ url, database: db.dialect }, 'API listening');
      return url;
    },
    /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the database. */
    async stop(graceMs = 10_000): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      await db.close();
    },
  };
}

export type ApiServer = Awaited<ReturnType<typeof createServer>>;
