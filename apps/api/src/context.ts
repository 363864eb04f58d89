import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Database } from '@appointments/db';
import type { BookingRules, LifecyclePolicy } from '@appointments/domain';
import type { ManageTokens } from '@appointments/runtime';
import type { Limits, Throttle } from './auth/throttle.ts';
import type { AccountLinkTemplates } from './env.ts';
import type { Logger } from './logger.ts';

/** Long-lived things a request may use; built once by the server. */
export interface Services {
  readonly db: Database;
  readonly logger: Logger;
  readonly throttle: Throttle;
  /** Reads (and, for tests and tools, issues) the signed tokens of manage links. */
  readonly manageTokens: ManageTokens;
  readonly settings: {
    /** PUBLIC_URL, or where this server listens once it does: what makes paths in answers absolute. */
    readonly publicUrl: string;
    readonly sessionLifetimeMs: number;
    readonly defaultTimezone: string;
    readonly trustProxy: boolean;
    readonly limits: Limits;
    /** GUEST_BOOKING: a booking without a token may name a guest instead. */
    readonly guestBooking: boolean;
    readonly bookingDefaults: BookingRules;
    readonly lifecycle: LifecyclePolicy;
    /** MIN_APPOINTMENT_MINUTES: the shortest appointment (and slot) there is. */
    readonly minAppointmentMinutes: number;
    /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: webhook URLs may name private, local and reserved addresses. */
    readonly webhookAllowPrivate: boolean;
    /** PASSWORD_RESET_URL_TEMPLATE, VERIFY_EMAIL_URL_TEMPLATE: front ends' pages for account links. */
    readonly accountLinks: AccountLinkTemplates;
    /** REQUIRE_VERIFIED_EMAIL: clients book only once they confirmed their address. */
    readonly requireVerifiedEmail: boolean;
  };
}

export interface ContextInput {
  readonly services: Services;
  readonly token?: string | null;
  readonly clientAddress?: string;
  readonly now?: Date;
  /** The Idempotency-Key header, for operations that honour it (booking). */
  readonly idempotencyKey?: string | null;
}

/** A request's context without HTTP: tests build it directly and call routers through createCaller. */
export function createContextInner({ services, token = null, clientAddress = 'local', now = new Date(), idempotencyKey = null }: ContextInput) {
  return { services, token, clientAddress, now, idempotencyKey };
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

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export function createContextFromRequest(services: Services, req: IncomingMessage): Context {
  return createContextInner({
    services,
    token: bearerToken(req),
    clientAddress: clientAddress(req, services.settings.trustProxy),
    idempotencyKey: headerValue(req.headers['idempotency-key']),
  });
}
