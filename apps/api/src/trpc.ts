import { initTRPC, TRPCError } from '@trpc/server';
import type { output, ZodType } from 'zod';
import { DomainError, type User } from '@appointments/domain';
import type { Repositories, Session } from '@appointments/db';
import { validateSessionToken } from './auth/sessions.ts';
import { inputProblem, MAX_INPUT_DEPTH } from './input-shape.ts';
import type { Context } from './context.ts';
import { errorDetails, publicMessage, toTRPCError } from './errors.ts';

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

/**
 * Every procedure starts here. Each call gets its own repositories (a forked EntityManager), so
 * calls batched into one HTTP request never share a unit of work; domain errors and bad input
 * become the right tRPC errors.
 */
export const publicProcedure = t.procedure.use(async ({ ctx, next, getRawInput }) => {
  const problem = inputProblem(await getRawInput());
  if (problem) {
    const message = problem.kind === 'too_deep' ? `Input nests deeper than ${MAX_INPUT_DEPTH} levels` : 'Text must be well-formed Unicode (a lone surrogate cannot be stored)';
    const path = problem.kind === 'too_deep' ? '' : problem.path.join('.');
    const cause = new DomainError('VALIDATION.FAILED', 'Input validation failed', { issues: [{ path, message }] });
    throw new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: cause.message, cause });
  }
  const result = await next({ ctx: { repos: ctx.services.db.fork() } });
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/** Resolves the caller from the bearer token; `user` is null when no token was sent. */
export const optionalAuthProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const auth = ctx.token
    ? await validateSessionToken(ctx.repos, ctx.token, ctx.now, ctx.services.settings.sessionLifetimeMs)
    : null;
  return next({ ctx: { user: auth?.user ?? null, session: auth?.session ?? null } });
});

export const authedProcedure = optionalAuthProcedure.use(({ ctx, next }) => {
  if (!ctx.user || !ctx.session) throw new DomainError('AUTH.NOT_AUTHENTICATED', 'Authentication required');
  return next({ ctx: { user: ctx.user, session: ctx.session } });
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
