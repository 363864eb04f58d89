import { ConnectionException, LockWaitTimeoutException, ReadOnlyException } from '@mikro-orm/core';

/** Socket-level failures: the server is down, restarting, or the network between us is. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs that say "not now" rather than "wrong request": class 08 (connection
 * exception), 57P01–57P03 (shutting down, crashed, starting up), 53300 (too many connections),
 * 57014 (a statement cancelled, as statement_timeout does: the server could not answer in time).
 * Not 08P01 (protocol violation): the server is fine, what we sent was not (a NUL byte in a text
 * parameter arrives as this), so retrying cannot help.
 */
const POSTGRES_STATE = /^(08(?!P01)[0-9A-Z]{3}|57P0[123]|57014|53300)$/;

/** SQLite primary codes (extended ones share the prefix, e.g. SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT). */
const SQLITE_CODE = /^SQLITE_(READONLY|CANTOPEN|IOERR|BUSY|LOCKED|FULL)(_|$)/;

/**
 * Messages of failures that carry no code: pg's own (a connection dropped mid-query, the pool's
 * connect timeout, a client the pool handed out already broken) and Kysely/SQLite fallbacks.
 */
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /is not queryable/i,
  /database is locked/i,
  /attempt to write a readonly database/i,
  /unable to open database file/i,
  /disk I\/O error/i,
];

function causes(error: unknown): unknown[] {
  if (!(error instanceof Error)) return [];
  const nested = error instanceof AggregateError ? (error.errors as unknown[]) : [];
  return [error.cause, ...nested];
}

/**
 * Whether `error` means the database cannot serve us right now (down, unreachable, locked,
 * read-only) as opposed to rejecting what we asked. The one place that knows the drivers' ways of
 * saying so; the API answers these with 503 and Retry-After instead of 500. Walks `cause` and
 * AggregateError chains, since pg reports a refused dual-stack connect as an AggregateError and
 * tRPC wraps whatever a procedure threw.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || !(error instanceof Error)) return false;
  if (error instanceof ConnectionException || error instanceof ReadOnlyException || error instanceof LockWaitTimeoutException) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_STATE.test(code) || SQLITE_CODE.test(code))) return true;
  if (MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  return causes(error).some((cause) => isDatabaseUnavailable(cause, depth + 1));
}
