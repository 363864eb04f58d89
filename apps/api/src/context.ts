import type { IncomingMessage } from 'node:http';
import type { Database, Repositories } from '@appointments/db';
import type { LoginThrottle } from './auth/login-throttle.ts';
import type { Logger } from './logger.ts';

/** Long-lived things a request may use; built once by the server. */
export interface Services {
  readonly db: Database;
  readonly logger: Logger;
  readonly throttle: LoginThrottle;
  readonly settings: {
    readonly sessionLifetimeMs: number;
    readonly defaultTimezone: string;
    readonly trustProxy: boolean;
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
  return { services, repos: services.db.fork() as Repositories, token, clientAddress, now };
}

export type Context = ReturnType<typeof createContextInner>;

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || 'unknown';
}

export function createContextFromRequest(services: Services, req: IncomingMessage): Context {
  return createContextInner({
    services,
    token: bearerToken(req),
    clientAddress: clientAddress(req, services.settings.trustProxy),
  });
}
