import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { isDatabaseUnavailable } from '@appointments/db';
import { DomainError, type ErrorCode, type ErrorKind } from '@appointments/domain';

/** The one mapping from domain error kinds to tRPC codes (and through them, HTTP statuses). */
const TRPC_CODE: Record<ErrorKind, TRPC_ERROR_CODE_KEY> = {
  invalid: 'UNPROCESSABLE_CONTENT',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  // tRPC has no code for 410: the nearest, with the HTTP status set apart (errorStatus).
  gone: 'NOT_FOUND',
  conflict: 'CONFLICT',
  rate_limited: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
};

function isInputValidation(error: TRPCError): error is TRPCError & { cause: ZodError } {
  return error.code === 'BAD_REQUEST' && error.cause instanceof ZodError;
}

/** The message of every VALIDATION.FAILED answer; its issues say what is wrong. */
export const INPUT_INVALID = 'Input validation failed';

/** Long enough for a pool reconnect or a failover, short enough that clients come back soon. */
const UNAVAILABLE_RETRY_SECONDS = 5;

/**
 * The answer to a request the database could not serve (down, unreachable, locked, read-only):
 * a temporary condition, so 503 with Retry-After rather than 500.
 */
export function databaseUnavailable(reason?: unknown): DomainError {
  const error = new DomainError('SERVICE.UNAVAILABLE', 'The database is unavailable; please retry shortly', {
    retry_after_seconds: UNAVAILABLE_RETRY_SECONDS,
  });
  // Kept for the logs; the client sees only the code and message.
  error.cause = reason;
  return error;
}

/** Turns whatever a procedure threw into the TRPCError the client will see. */
export function toTRPCError(error: TRPCError): TRPCError {
  if (isDatabaseUnavailable(error.cause)) {
    const unavailable = databaseUnavailable(error.cause);
    return new TRPCError({ code: TRPC_CODE[unavailable.kind], message: unavailable.message, cause: unavailable });
  }
  if (error.cause instanceof DomainError) {
    return new TRPCError({ code: TRPC_CODE[error.cause.kind], message: error.cause.message, cause: error.cause });
  }
  if (isInputValidation(error)) {
    return new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: INPUT_INVALID, cause: error.cause });
  }
  return error;
}

export interface ErrorIssue {
  readonly path: string;
  readonly message: string;
}

/** Every `code` an error body can carry: the domain's, plus the few the transport adds. The typed client sees this union. */
export type ApiErrorCode = ErrorCode | 'VALIDATION.FAILED' | 'INTERNAL.ERROR' | `REQUEST.${TRPC_ERROR_CODE_KEY}`;

/** Machine-readable parts of every error body: a stable code, and field issues for bad input. */
export function errorDetails(error: TRPCError): { code: ApiErrorCode; issues?: ErrorIssue[]; retry_after_seconds?: number } {
  if (error.cause instanceof DomainError) return { code: error.cause.code, ...error.cause.details };
  if (error.code === 'INTERNAL_SERVER_ERROR') return { code: 'INTERNAL.ERROR' };
  // Only bad input is the caller's fault; a failing output schema stays an internal error (above).
  if (error.code === 'UNPROCESSABLE_CONTENT' && error.cause instanceof ZodError) {
    return {
      code: 'VALIDATION.FAILED',
      issues: error.cause.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    };
  }
  return { code: `REQUEST.${error.code}` };
}

export function publicMessage(error: TRPCError): string {
  return error.code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : error.message;
}

/** The HTTP status of an error whose kind tRPC's codes cannot tell (410 Gone); undefined: its code's own. */
export function httpStatus(error: TRPCError): number | undefined {
  return error.cause instanceof DomainError && error.cause.kind === 'gone' ? 410 : undefined;
}

/** The status of an answer that failed with `errors`, where one differs from what tRPC's codes give. */
export function errorStatus(errors: readonly TRPCError[]): number | undefined {
  return errors.length === 1 ? httpStatus(errors[0]!) : undefined;
}

/** Headers an error asks for: Retry-After on 429 and 503, the auth scheme on 401 (RFC 6750). */
export function errorHeaders(errors: readonly TRPCError[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const error of errors) {
    const seconds = error.cause instanceof DomainError ? error.cause.details?.retry_after_seconds : undefined;
    if (typeof seconds === 'number') headers['Retry-After'] = String(seconds);
    if (error.code === 'UNAUTHORIZED') headers['WWW-Authenticate'] = 'Bearer';
  }
  return headers;
}
