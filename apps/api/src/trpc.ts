import { initTRPC, TRPCError } from '@trpc/server';
import type { output, ZodType } from 'zod';
import { DomainError, type User } from '@appointments/domain';
import { isDatabaseUnavailable, type Repositories, type Session } from '@appointments/db';
import { keptSessionsFor } from './auth/kept-sessions.ts';
import { validateSessionToken, type Authenticated } from './auth/sessions.ts';
import { hashToken } from './auth/tokens.ts';
import { inputProblem, MAX_INPUT_DEPTH } from './input-shape.ts';
import type { Context } from './context.ts';
import { errorDetails, INPUT_INVALID, publicMessage, toTRPCError } from './errors.ts';

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
  successStatus?: 201 | 204;
  /** Public, but a bearer token changes what it may do (e.g. register staff); documented as optional auth. */
  authOptional?: true;
  /** Honours the Idempotency-Key header; documented as a header parameter. */
  idempotent?: true;
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
      data: { ...errorDetails(error), httpStatus: shape.data.httpStatus, path: shape.data.path },
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

/** The caller behind the bearer token, or null without one; an invalid token is refused. */
async function authenticate(ctx: Context, repos: Repositories): Promise<Authenticated | null> {
  if (!ctx.token) return null;
  try {
    return await validateSessionToken(repos, ctx.token, ctx.now, ctx.services.settings.sessionLifetimeMs);
  } catch (error) {
    throw toTRPCError(error instanceof TRPCError ? error : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error }));
  }
}

/*
 * The base procedures. Each call gets its own repositories (a forked EntityManager), so calls
 * batched into one HTTP request never share a unit of work; domain errors and bad input become the
 * right tRPC errors. Each base is one middleware, not a chain of them: every middleware level
 * costs tRPC a few context copies per call (~10-15 µs per booking for the two levels saved).
 */
export const publicProcedure = t.procedure.use(async ({ ctx, next, getRawInput }) => {
  await assertInputShape(getRawInput);
  return answered(await next({ ctx: { repos: ctx.services.db.fork() } }));
});

/** Resolves the caller from the bearer token; `user` is null when no token was sent. */
export const optionalAuthProcedure = t.procedure.use(async ({ ctx, next, getRawInput }) => {
  await assertInputShape(getRawInput);
  const repos = ctx.services.db.fork();
  const auth = await authenticate(ctx, repos);
  return answered(await next({ ctx: { repos, user: auth?.user ?? null, session: auth?.session ?? null } }));
});

/** The caller behind the bearer token; UNAUTHORIZED without one. */
async function requireAuth(ctx: Context, repos: Repositories): Promise<Authenticated> {
  const auth = await authenticate(ctx, repos);
  if (auth) return auth;
  const cause = new DomainError('AUTH.NOT_AUTHENTICATED', 'Authentication required');
  throw toTRPCError(new TRPCError({ code: 'UNAUTHORIZED', message: cause.message, cause }));
}

export const authedProcedure = t.procedure.use(async ({ ctx, next, getRawInput }) => {
  await assertInputShape(getRawInput);
  const repos = ctx.services.db.fork();
  const auth = await requireAuth(ctx, repos);
  return answered(await next({ ctx: { repos, user: auth.user, session: auth.session } }));
});

/** A request's session, for a write that confirms the session itself (booking; kept-sessions.ts). */
export type SessionAccess = Authenticated & {
  /** Whether it is the session this process last validated for the token, not read now: to be trusted only through a write's guard. */
  readonly kept: boolean;
  /** Validates the token now, as authedProcedure does (UNAUTHORIZED when it can't), and keeps the session. */
  fresh(): Promise<Authenticated>;
};

/**
 * Like authedProcedure, but a session this process validated before is not read again: the
 * procedure's write must confirm it. Any other answer on a kept session, bad input included, is
 * given only once a fresh validation has held.
 */
export const keptSessionProcedure = t.procedure.use(async ({ ctx, next, getRawInput }) => {
  await assertInputShape(getRawInput);
  const repos = ctx.services.db.fork();
  const sessions = keptSessionsFor(ctx.services.db);
  const id = ctx.token ? hashToken(ctx.token) : undefined;
  const kept = id === undefined ? undefined : sessions.get(id, ctx.now, ctx.services.settings.sessionLifetimeMs);
  let validated = false;
  const fresh = async () => {
    validated = true;
    if (id !== undefined) sessions.forget(id);
    const auth = await requireAuth(ctx, repos);
    sessions.keep(auth);
    return auth;
  };
  const auth = kept ?? (await fresh());
  const result = await next({ ctx: { repos, auth: { ...auth, kept: kept !== undefined, fresh } } });
  // A database that could not serve the request could not validate the session either: no second wait.
  if (!result.ok && !validated && !isDatabaseUnavailable(result.error.cause)) await fresh();
  return answered(result);
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') throw new DomainError('AUTH.FORBIDDEN', 'Admin role required');
  return next();
});

export type PublicContext = Context & { repos: Repositories };
/** What a handler receives: its context and its parsed input (the handler/schema split). */
export type HandlerOptions<TContext, TInput extends ZodType> = { ctx: TContext; input: output<TInput> };
export type OptionalAuthContext = PublicContext & { user: User | null; session: Session | null };
export type AuthedContext = PublicContext & { user: User; session: Session };
export type KeptSessionContext = PublicContext & { auth: SessionAccess };
