import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Database } from '@appointments/db';
import type { Limits, Throttle } from './auth/throttle.ts';
import type { Logger } from './logger.ts';

/** Long-lived things a request may use; built once by the server. */
export interface Services {
  readonly db: Database;
  readonly logger: Logger;
  readonly throttle: Throttle;
  readonly settings: {
    readonly sessionLifetimeMs: number;
    readonly defaultTimezone: string;
    readonly trustProxy: boolean;
    readonly limits: Limits;
  };
}

export interface ContextInput {
  readonly services: Services;
  readonly token?: string | null;
  readonly clientAddress?: string;
  readonly now?: Date;
}

/** A request's context without HTTP: tests build it directly and call routers through createCaller. */
export function createContextInner({ services, token = null, clientAddress = 'local', now = new Date() }: ContextInput) {
  return { services, token, clientAddress, now };
}

export type Context = ReturnType<typeof createContextInner>;

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * The client's address. Behind a trusted proxy it is the right-most X-Forwarded-For entry: the one
 * our proxy appended; entries to its left are whatever the client chose to send.
 */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const header = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const forwarded = (Array.isArray(header) ? header.join(',') : header)?.split(',').at(-1)?.trim();
  return forwarded && isIP(forwarded) ? forwarded : (req.socket.remoteAddress ?? 'unknown');
}

export function createContextFromRequest(services: Services, req: IncomingMessage): Context {
  return createContextInner({
    services,
    token: bearerToken(req),
    clientAddress: clientAddress(req, services.settings.trustProxy),
  });
}
