import { initTRPC, TRPCError } from '@trpc/server';
import type { output, ZodType } from 'zod';
import { apiKeyRefused, assertKeyMayCall, DomainError, type Actor, type ApiKeyScope } from '@appointments/domain';
import type { Repositories, Session } from '@appointments/db';
import { authenticateToken, type Authenticated } from './auth/authenticate.ts';
import type { SignedIn } from './auth/sessions.ts';
import { withCaller, type CallerAccess } from './booking/trust.ts';
import { inputProblem, MAX_INPUT_DEPTH } from './input-shape.ts';
import type { Context } from './context.ts';
import { errorDetails, errorStatus, INPUT_INVALID, publicMessage, toTRPCError } from './errors.ts';

/**
 * Procedure metadata. `openapi` is read by trpc-to-openapi to expose the procedure over REST;
 * `successStatus` overrides REST's 200. Declared here (not imported) so the published client's
 * types do not pull in the OpenAPI tooling.
 */
export type Meta = {
  openapi?: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    path: `/${string}`;
    summary?: string;
    description?: string;
    tags?: string[];
    protect?: boolean;
    contentTypes?: ('application/json' | 'application/x-www-form-urlencoded')[];
    successDescription?: string;
    errorResponses?: Record<number, string>;
  };
  successStatus?: 201 | 202 | 204;
  /** Public, but a bearer token changes what it may do (e.g. register staff); documented as optional auth. */
  authOptional?: true;
  /** Honours the Idempotency-Key header; documented as a header parameter. */
  idempotent?: true;
  /**
   * Answers `{ items, next_cursor }` (cursorPageOutput); REST answers the items as a bare array and
   * the cursor in `X-Next-Cursor` and `Link: <…>; rel="next"` headers (rest/cursor-headers.ts).
   */
  cursorInHeaders?: true;
  /**
   * The scope an API key needs to call it. Without one, keys are refused (AUTH.FORBIDDEN): only
   * signed-in users may. Public procedures never look at the token; optional-auth ones take a key
   * without a scope declared as no caller at all.
   */
  scope?: ApiKeyScope;
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Never put stack traces in responses, whatever NODE_ENV says.
    isDev: false,
    errorFormatter: ({ shape, error }) => ({
      message: publicMessage(error),
      code: shape.code,
      data: { ...errorDetails(error), httpStatus: errorStatus([error]) ?? shape.data.httpStatus, path: shape.data.path },
    }),
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Refuses input no procedure could accept (too deep, lone surrogates) before any schema walks it. */
async function assertInputShape(getRawInput: () => Promise<unknown>): Promise<void> {
  const problem = inputProblem(await getRawInput());
  if (!problem) return;
  const message = problem.kind === 'too_deep' ? `Input nests deeper than ${MAX_INPUT_DEPTH} levels` : 'Text must be well-formed Unicode (a lone surrogate cannot be stored)';
  const path = problem.kind === 'too_deep' ? '' : problem.path.join('.');
  const cause = new DomainError('VALIDATION.FAILED', INPUT_INVALID, { issues: [{ path, message }] });
  throw new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: cause.message, cause });
}

/** What a procedure's rest (handler, validators) came back with; a failure becomes the right tRPC error. */
function answered<T extends { ok: boolean }>(result: T & ({ ok: true } | { ok: false; error: TRPCError })): T {
  if (!result.ok) throw toTRPCError(result.error);
  return result;
}

/** Whatever a middleware threw before calling the procedure, as the tRPC error the client sees. */
function refusal(error: unknown): TRPCError {
  return toTRPCError(error instanceof TRPCError ? error : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error }));
}

/** The caller behind the bearer token (a user's session or an API key), or null without one; an invalid token is refused. */
async function authenticate(ctx: Context, repos: Repositories): Promise<Authenticated | null> {
  if (!ctx.token) return null;
  try {
    return await authenticateToken(repos, ctx.token, ctx.now, ctx.services.settings.sessionLifetimeMs);
  } catch (error) {
    throw refusal(error);
  }
}

/** A key only within the procedure's scope (AUTH.SCOPE_MISSING, or AUTH.FORBIDDEN where it names none); a session as it is. */
function admitted(auth: Authenticated, meta: Meta | undefined): Authenticated {
  try {
    if (auth.apiKey) assertKeyMayCall(auth.apiKey.scopes, meta?.scope);
    return auth;
  } catch (error) {
    throw refusal(error);
  }
}

/*
 * The base procedures. Each call gets its own repositories (a forked EntityManager), so calls
 * batched into one HTTP request never share a unit of work; domain errors and bad input become the
 * right tRPC errors. Each base is one middleware, not a chain of them: every middleware level
 * costs tRPC a few context copies per call, on every booking.
 */
export const publicProcedure = t.procedure.use(async ({ ctx, next, getRawInput }) => {
  await assertInputShape(getRawInput);
  return answered(await next({ ctx: { repos: ctx.services.db.fork() } }));
});

/**
 * Resolves the caller from the bearer token; `user` is null when no token was sent. A key counts
 * only where the procedure names a scope (and must hold it); elsewhere it gets the public answer.
 */
export const optionalAuthProcedure = t.procedure.use(async ({ ctx, meta, next, getRawInput }) => {
  await assertInputShape(getRawInput);
  const repos = ctx.services.db.fork();
  const auth = await authenticate(ctx, repos);
  const caller = !auth || (auth.apiKey && meta?.scope === undefined) ? null : admitted(auth, meta);
  return answered(await next({ ctx: { repos, user: caller?.user ?? null, session: caller?.session ?? null } }));
});

/** The caller behind the bearer token; UNAUTHORIZED without one. */
async function requireAuth(ctx: Context, repos: Repositories): Promise<Authenticated> {
  const auth = await authenticate(ctx, repos);
  if (auth) return auth;
  const cause = new DomainError('AUTH.NOT_AUTHENTICATED', 'Authentication required');
  throw toTRPCError(new TRPCError({ code: 'UNAUTHORIZED', message: cause.message, cause }));
}

/** A signed-in user, or an API key holding the procedure's scope (meta.scope). */
export const authedProcedure = t.procedure.use(async ({ ctx, meta, next, getRawInput }) => {
  await assertInputShape(getRawInput);
  const repos = ctx.services.db.fork();
  const auth = admitted(await requireAuth(ctx, repos), meta);
  return answered(await next({ ctx: { repos, ...auth } }));
});

/** A signed-in user only; API keys are refused: what acts as a person (their profile, logout, calendar feeds). */
export const sessionProcedure = t.procedure.use(async ({ ctx, next, getRawInput }) => {
  await assertInputShape(getRawInput);
  const repos = ctx.services.db.fork();
  const auth = await requireAuth(ctx, repos);
  if (auth.apiKey) throw refusal(apiKeyRefused());
  return answered(await next({ ctx: { repos, user: auth.user, session: auth.session } }));
});

/**
 * Like authedProcedure, for booking: hands the handler the caller as booking/trust.ts trusts it (a
 * session validated before is not read again; the booking's write confirms it).
 */
export const bookingProcedure = t.procedure.use(async ({ ctx, meta, next, getRawInput }) => {
  await assertInputShape(getRawInput);
  const repos = ctx.services.db.fork();
  const { db, settings } = ctx.services;
  const validate = async () => admitted(await requireAuth(ctx, repos), meta);
  const result = await withCaller(db, ctx.token, ctx.now, settings.sessionLifetimeMs, validate, (access) => next({ ctx: { repos, access } }));
  return answered(result);
});

function assertAdmin(actor: Pick<Actor, 'role'>): void {
  if (actor.role !== 'admin') throw new DomainError('AUTH.FORBIDDEN', 'Admin role required');
}

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  assertAdmin(ctx.user);
  return next();
});

/** An admin signed in: what API keys must never do (managing keys). */
export const adminSessionProcedure = sessionProcedure.use(({ ctx, next }) => {
  assertAdmin(ctx.user);
  return next();
});

export type PublicContext = Context & { repos: Repositories };
/** What a handler receives: its context and its parsed input (the handler/schema split). */
export type HandlerOptions<TContext, TInput extends ZodType> = { ctx: TContext; input: output<TInput> };
export type OptionalAuthContext = PublicContext & { user: Actor | null; session: Session | null };
/** A signed-in user (with their session) or an API key (with its key): `ctx.user` is the actor either way. */
export type AuthedContext = PublicContext & Authenticated;
export type SessionContext = PublicContext & SignedIn;
export type BookingContext = PublicContext & { access: CallerAccess };
