import { isTRPCClientError, type TRPCClientError } from '@trpc/client';
import type { AppRouter } from './client.ts';

/** An error thrown by the client's procedure calls, with the server's error shape typed. */
export type AppointmentsClientError = TRPCClientError<AppRouter>;

/** The server's stable error codes (`APPOINTMENT.SLOT_TAKEN`, …), as a union: compare without typos. */
export type AppointmentsErrorCode = NonNullable<AppointmentsClientError['data']>['code'];

export function isAppointmentsError(error: unknown): error is AppointmentsClientError {
  return isTRPCClientError<AppRouter>(error);
}

/**
 * A failed answer from a plain HTTP route (the .ics export), which is not a tRPC call; it carries
 * the same stable code and status, so `errorCode`/`errorStatus` read both kinds alike.
 */
export class AppointmentsHttpError extends Error {
  override readonly name = 'AppointmentsHttpError';
  /** The server's stable code; undefined when the body was not the API's JSON error (e.g. a proxy's page). */
  readonly code: AppointmentsErrorCode | undefined;
  readonly status: number;

  constructor(message: string, status: number, code: AppointmentsErrorCode | undefined) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Reads the API's `{ code, message }` error body, tolerating any other body. */
export async function httpError(response: { status: number; json(): Promise<unknown> }): Promise<AppointmentsHttpError> {
  const body: unknown = await response.json().catch(() => undefined);
  const field = (name: 'code' | 'message') => {
    const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  // The body is the server's, whose codes are this union; a foreign body has no code at all.
  return new AppointmentsHttpError(field('message') ?? `HTTP ${response.status}`, response.status, field('code') as AppointmentsErrorCode | undefined);
}

/** The server's stable machine code (e.g. `USER.EMAIL_TAKEN`); undefined for network or non-client errors. */
export function errorCode(error: unknown): AppointmentsErrorCode | undefined {
  if (error instanceof AppointmentsHttpError) return error.code;
  return isAppointmentsError(error) ? error.data?.code : undefined;
}

/** The HTTP status the server answered with (409 for a taken slot); undefined when no answer came. */
export function errorStatus(error: unknown): number | undefined {
  if (error instanceof AppointmentsHttpError) return error.status;
  return isAppointmentsError(error) ? error.data?.httpStatus : undefined;
}
