import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  isTRPCClientError,
  splitLink,
  TRPCClientError,
  type HTTPBatchLinkOptions,
  type TRPCClient,
} from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@appointments/api';

export { TRPCClientError };
export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type AppointmentsClient = TRPCClient<AppRouter>;

/** tRPC's own fetch type: narrower than the DOM's, so undici, node-fetch or a test double fit. */
type FetchLike = NonNullable<HTTPBatchLinkOptions<AppRouter['_def']['_config']['$types']>['fetch']>;
type MaybePromise<T> = T | Promise<T>;

export interface AppointmentsClientOptions {
  /** The server's root URL, e.g. `https://api.example.com`; tRPC lives under `/trpc`. */
  baseUrl: string | URL;
  /** A bearer token, or a function asked before every request so a refreshed token is picked up. */
  token?: string | (() => MaybePromise<string | undefined>);
  fetch?: FetchLike;
}

/**
 * Per-call options: `client.appointments.create.mutate(input, { context: { idempotencyKey } })`
 * sends an Idempotency-Key, so retrying after a lost answer never books twice.
 */
export interface AppointmentsCallContext {
  idempotencyKey?: string;
}

export function createAppointmentsClient({ baseUrl, token, fetch }: AppointmentsClientOptions): AppointmentsClient {
  // new URL() would drop a path prefix (https://host/api + /trpc); plain joining keeps it.
  const url = `${String(baseUrl).replace(/\/+$/, '')}/trpc`;
  const authorization = async (): Promise<Record<string, string>> => {
    const value = typeof token === 'function' ? await token() : token;
    return value ? { authorization: `Bearer ${value}` } : {};
  };
  const idempotencyKey = (context: Record<string, unknown>) => (context as AppointmentsCallContext).idempotencyKey;
  return createTRPCClient<AppRouter>({
    links: [
      // A call with an Idempotency-Key travels alone: a batch shares one set of headers.
      splitLink({
        condition: (op) => idempotencyKey(op.context) !== undefined,
        true: httpLink({
          url,
          ...(fetch && { fetch }),
          headers: async ({ op }) => ({ ...(await authorization()), 'idempotency-key': idempotencyKey(op.context)! }),
        }),
        false: httpBatchLink({
          url,
          ...(fetch && { fetch }),
          // The server refuses batches larger than 20 calls.
          maxItems: 20,
          headers: authorization,
        }),
      }),
    ],
  });
}

/** An error thrown by this client's calls, with the server's error shape typed. */
export type AppointmentsClientError = TRPCClientError<AppRouter>;

export function isAppointmentsError(error: unknown): error is AppointmentsClientError {
  return isTRPCClientError<AppRouter>(error);
}

/** The server's stable machine code (e.g. `USER.EMAIL_TAKEN`); undefined for network or non-client errors. */
export function errorCode(error: unknown): string | undefined {
  return isAppointmentsError(error) ? error.data?.code : undefined;
}
