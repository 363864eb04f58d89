import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  splitLink,
  type HTTPBatchLinkOptions,
  type TRPCClient,
} from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@appointments/api';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type AppointmentsClient = TRPCClient<AppRouter>;

/** tRPC's own fetch type: narrower than the DOM's, so undici, node-fetch or a test double fit. */
export type FetchLike = NonNullable<HTTPBatchLinkOptions<AppRouter['_def']['_config']['$types']>['fetch']>;
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

/** The server's root without trailing slashes; new URL() would drop a path prefix (https://host/api), joining keeps it. */
export function apiRoot(baseUrl: string | URL): string {
  return String(baseUrl).replace(/\/+$/, '');
}

export function createAppointmentsClient({ baseUrl, token, fetch }: AppointmentsClientOptions): AppointmentsClient {
  const url = `${apiRoot(baseUrl)}/trpc`;
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
