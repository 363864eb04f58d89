import type { ApiKeyScope, ErrorCode } from '@appointments/domain';

/**
 * Who may call what: every REST operation (the .ics routes included) × role × ownership, as the
 * README's API table and the domain's rules state it, and × API key scope (KEY_ACCESS).
 * apps/api/src/rest/access-matrix.test.ts runs each cell against a real API and checks that every
 * operation in the OpenAPI document has rows and key access here.
 */

/**
 * The fixture resource (appointment, availability entry, booking rules) belongs to client A and
 * staff S: S is "the assigned staff member" / "the owner"; B and T are the other client and staff.
 */
export const ROLES = ['anonymous', 'clientA', 'clientB', 'staffS', 'staffT', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Principal = Exclude<Role, 'anonymous'>;

/**
 * What the request addresses:
 * - `-`: nothing that belongs to anyone (or the README's fixed target, e.g. client A for unblock);
 * - `A/S`: the fixture resource of client A and staff S (the role says whether it is theirs);
 * - `own`: the actor's own record, feed or booking (anonymous: client A's);
 * - `other`: someone else's (clients: the other client's; staff: the other staff member's; admin: client A's);
 * - `revoked`: a revoked (or, for anonymous, absent) feed token; a manage link of a version since superseded; a used account link.
 */
export type Target = '-' | 'A/S' | 'own' | 'other' | 'revoked';

/** The other party an actor reaches for in `other` rows and IDOR attempts. */
export const OTHER: Record<Role, Principal> = {
  anonymous: 'clientA',
  clientA: 'clientB',
  clientB: 'clientA',
  staffS: 'staffT',
  staffT: 'staffS',
  admin: 'clientA',
};

export type Deny = { readonly status: 401 | 403 | 404 | 410 | 422; readonly code: ErrorCode };
export type Outcome = 200 | 201 | 202 | 204 | Deny;

export interface Row {
  /** `METHOD /path` exactly as in the OpenAPI document. */
  readonly operation: string;
  readonly target: Target;
  readonly expect: Readonly<Record<Role, Outcome>>;
}

const deny = (status: Deny['status'], code: ErrorCode): Deny => ({ status, code });
const UNAUTHENTICATED = deny(401, 'AUTH.NOT_AUTHENTICATED');
const FORBIDDEN = deny(403, 'AUTH.FORBIDDEN');
/** Someone else's appointment is reported as missing: ids reveal nothing. */
const HIDDEN = deny(404, 'APPOINTMENT.NOT_FOUND');
const NO_FEED = deny(404, 'CALENDAR.FEED_NOT_FOUND');
const LINK_EXPIRED = deny(410, 'MANAGE.LINK_EXPIRED');

const all = (outcome: Outcome): Record<Role, Outcome> =>
  ({ anonymous: outcome, clientA: outcome, clientB: outcome, staffS: outcome, staffT: outcome, admin: outcome });
const signedIn = (outcome: Outcome) => ({ ...all(outcome), anonymous: UNAUTHENTICATED });
const adminOnly = (ok: Outcome) => ({ ...signedIn(FORBIDDEN), admin: ok });
/** The staff member's own things (availability, booking rules) and admins. */
const staffOwner = (ok: Outcome) => ({ ...adminOnly(ok), staffS: ok });
/** Its client, its staff member and admins; everyone else is told it does not exist. */
const parties = (ok: Outcome) => ({ anonymous: UNAUTHENTICATED, clientA: ok, clientB: HIDDEN, staffS: ok, staffT: HIDDEN, admin: ok });
/** Marking: the assigned staff member or an admin; the client sees it but may not. */
const marking = { ...parties(200), clientA: FORBIDDEN } as const;

export const MATRIX: readonly Row[] = [
  { operation: 'POST /api/v1/auth/register', target: '-', expect: all(201) },
  // A staff account: only an admin may create one.
  { operation: 'POST /api/v1/auth/register', target: 'other', expect: { ...all(deny(403, 'AUTH.ROLE_REQUIRES_ADMIN')), admin: 201 } },
  { operation: 'POST /api/v1/auth/login', target: 'own', expect: all(200) },
  { operation: 'GET /api/v1/auth/me', target: 'own', expect: signedIn(200) },
  { operation: 'POST /api/v1/auth/logout', target: 'own', expect: signedIn(204) },
  // Account links: whoever holds one may use it, once. The reset's `-` is a throwaway account's link.
  { operation: 'POST /api/v1/auth/password-reset', target: 'own', expect: all(202) },
  { operation: 'GET /api/v1/auth/password-reset/{token}', target: 'own', expect: all(200) },
  { operation: 'GET /api/v1/auth/password-reset/{token}', target: 'revoked', expect: all(deny(410, 'AUTH.RESET_TOKEN_USED_OR_EXPIRED')) },
  { operation: 'POST /api/v1/auth/password-reset/confirm', target: '-', expect: all(204) },
  { operation: 'POST /api/v1/auth/password-reset/confirm', target: 'revoked', expect: all(deny(410, 'AUTH.RESET_TOKEN_USED_OR_EXPIRED')) },
  { operation: 'POST /api/v1/auth/verify-email', target: 'own', expect: signedIn(202) },
  { operation: 'GET /api/v1/auth/verify-email/{token}', target: 'own', expect: all(200) },
  { operation: 'GET /api/v1/auth/verify-email/{token}', target: 'revoked', expect: all(deny(410, 'AUTH.VERIFY_TOKEN_USED_OR_EXPIRED')) },
  { operation: 'POST /api/v1/auth/verify-email/confirm', target: 'own', expect: all(204) },
  { operation: 'POST /api/v1/auth/verify-email/confirm', target: 'revoked', expect: all(deny(410, 'AUTH.VERIFY_TOKEN_USED_OR_EXPIRED')) },

  { operation: 'GET /api/v1/users', target: '-', expect: adminOnly(200) },
  { operation: 'PATCH /api/v1/users/{id}', target: 'own', expect: signedIn(200) },
  { operation: 'PATCH /api/v1/users/{id}', target: 'other', expect: adminOnly(200) },
  { operation: 'POST /api/v1/users/{id}/unblock', target: '-', expect: adminOnly(200) },

  // The directory: anyone reads it; an entry is written by its staff member or an admin.
  { operation: 'GET /api/v1/staff', target: '-', expect: all(200) },
  { operation: 'GET /api/v1/staff/{id}', target: 'A/S', expect: all(200) },
  { operation: 'PATCH /api/v1/staff/{id}', target: 'A/S', expect: staffOwner(200) },
  { operation: 'GET /api/v1/staff/{staff_id}/settings', target: 'A/S', expect: all(200) },
  { operation: 'PATCH /api/v1/staff/{staff_id}/settings', target: 'A/S', expect: staffOwner(200) },

  // The catalogue: anyone reads it, admins write it; the fixture is an active service staff S offers.
  { operation: 'POST /api/v1/services', target: '-', expect: adminOnly(201) },
  { operation: 'GET /api/v1/services', target: '-', expect: all(200) },
  { operation: 'GET /api/v1/services/{id}', target: '-', expect: all(200) },
  { operation: 'PATCH /api/v1/services/{id}', target: '-', expect: adminOnly(200) },
  { operation: 'DELETE /api/v1/services/{id}', target: '-', expect: adminOnly(204) },

  { operation: 'POST /api/v1/availability', target: 'A/S', expect: staffOwner(201) },
  { operation: 'GET /api/v1/availability', target: 'A/S', expect: all(200) },
  { operation: 'GET /api/v1/availability/slots', target: 'A/S', expect: all(200) },
  { operation: 'PATCH /api/v1/availability/{id}', target: 'A/S', expect: staffOwner(200) },
  { operation: 'DELETE /api/v1/availability/{id}', target: 'A/S', expect: staffOwner(204) },

  // For yourself: clients only (staff are booked, an admin must name the client); without a token,
  // as a guest (the body names one: a new email, booked as a new passwordless client).
  {
    operation: 'POST /api/v1/appointments',
    target: 'own',
    expect: { ...all(201), staffS: FORBIDDEN, staffT: FORBIDDEN, admin: deny(422, 'APPOINTMENT.CLIENT_REQUIRED') },
  },
  { operation: 'POST /api/v1/appointments', target: 'other', expect: adminOnly(201) },
  { operation: 'GET /api/v1/appointments', target: 'own', expect: signedIn(200) },
  // Filtering by someone else (client_id / staff_id) is refused, not silently narrowed.
  { operation: 'GET /api/v1/appointments', target: 'other', expect: adminOnly(200) },
  { operation: 'GET /api/v1/appointments/{id}', target: 'A/S', expect: parties(200) },
  { operation: 'PATCH /api/v1/appointments/{id}', target: 'A/S', expect: parties(200) },
  { operation: 'POST /api/v1/appointments/{id}/cancel', target: 'A/S', expect: parties(200) },
  { operation: 'POST /api/v1/appointments/{id}/reschedule', target: 'A/S', expect: parties(200) },
  { operation: 'POST /api/v1/appointments/{id}/mark-completed', target: 'A/S', expect: marking },
  { operation: 'POST /api/v1/appointments/{id}/mark-no-show', target: 'A/S', expect: marking },
  { operation: 'GET /api/v1/appointments/{id}/history', target: 'A/S', expect: parties(200) },
  { operation: 'GET /api/v1/appointments/{id}/export.ics', target: 'A/S', expect: parties(200) },
  { operation: 'GET /api/v1/appointments/export-all.ics', target: 'own', expect: signedIn(200) },
  { operation: 'GET /api/v1/appointments/export-all.ics', target: 'other', expect: adminOnly(200) },

  // The token stands for its owner, whatever Authorization header comes with it.
  { operation: 'GET /api/v1/calendar/feed.ics', target: 'own', expect: { ...all(200), anonymous: NO_FEED } },
  { operation: 'GET /api/v1/calendar/feed.ics', target: 'other', expect: all(200) },
  { operation: 'GET /api/v1/calendar/feed.ics', target: 'revoked', expect: all(NO_FEED) },
  { operation: 'POST /api/v1/calendar/feeds', target: 'own', expect: signedIn(201) },
  { operation: 'GET /api/v1/calendar/feeds', target: 'own', expect: signedIn(200) },
  { operation: 'DELETE /api/v1/calendar/feeds/{id}', target: 'own', expect: signedIn(204) },
  // Not even an admin revokes someone else's feed; it is reported as missing.
  { operation: 'DELETE /api/v1/calendar/feeds/{id}', target: 'other', expect: signedIn(NO_FEED) },

  // A manage link stands for the appointment's client (A), whatever Authorization header comes with it.
  { operation: 'GET /api/v1/manage/{token}', target: 'A/S', expect: all(200) },
  { operation: 'GET /api/v1/manage/{token}', target: 'revoked', expect: all(LINK_EXPIRED) },
  { operation: 'POST /api/v1/manage/{token}/cancel', target: 'A/S', expect: all(200) },
  { operation: 'POST /api/v1/manage/{token}/cancel', target: 'revoked', expect: all(LINK_EXPIRED) },
  { operation: 'POST /api/v1/manage/{token}/reschedule', target: 'A/S', expect: all(200) },
  { operation: 'POST /api/v1/manage/{token}/reschedule', target: 'revoked', expect: all(LINK_EXPIRED) },

  { operation: 'GET /api/v1/admin/notifications', target: '-', expect: adminOnly(200) },
  { operation: 'POST /api/v1/admin/notifications/{id}/retry', target: '-', expect: adminOnly(200) },

  // Webhook endpoints and their delivery logs: admins only. The fixtures: an endpoint, and a failed delivery.
  { operation: 'POST /api/v1/webhooks', target: '-', expect: adminOnly(201) },
  { operation: 'GET /api/v1/webhooks', target: '-', expect: adminOnly(200) },
  { operation: 'GET /api/v1/webhooks/{id}', target: '-', expect: adminOnly(200) },
  { operation: 'PATCH /api/v1/webhooks/{id}', target: '-', expect: adminOnly(200) },
  { operation: 'DELETE /api/v1/webhooks/{id}', target: '-', expect: adminOnly(204) },
  { operation: 'POST /api/v1/webhooks/{id}/rotate-secret', target: '-', expect: adminOnly(200) },
  { operation: 'POST /api/v1/webhooks/{id}/test', target: '-', expect: adminOnly(202) },
  { operation: 'GET /api/v1/webhooks/{id}/deliveries', target: '-', expect: adminOnly(200) },
  { operation: 'POST /api/v1/webhooks/deliveries/{id}/retry', target: '-', expect: adminOnly(202) },
  // Keys for other systems: admins manage them, signed in (keys never manage keys: KEY_ACCESS).
  { operation: 'POST /api/v1/api-keys', target: '-', expect: adminOnly(201) },
  { operation: 'GET /api/v1/api-keys', target: '-', expect: adminOnly(200) },
  { operation: 'DELETE /api/v1/api-keys/{id}', target: '-', expect: adminOnly(204) },
];

/**
 * What each operation asks of an API key, which acts with an admin's reach:
 * - a scope: a key holding it is answered as the admin is, in every row of the operation (an
 *   admin's booking for nobody in particular, `own`, is refused alike: a key too must name the
 *   client); any other key gets 403 AUTH.SCOPE_MISSING;
 * - `signed-in`: no key may (403 AUTH.FORBIDDEN): managing keys, and what acts as a person;
 * - `public`: the key is not looked at, or taken for no caller: answered as the admin is.
 * Cells send the admin's request of each row with a key holding one scope only, for every scope.
 */
export type KeyAccess = ApiKeyScope | 'signed-in' | 'public';

export const KEY_ACCESS: Readonly<Record<string, KeyAccess>> = {
  'POST /api/v1/auth/register': 'users:write',
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/auth/me': 'signed-in',
  'POST /api/v1/auth/logout': 'signed-in',
  'POST /api/v1/auth/password-reset': 'public',
  'GET /api/v1/auth/password-reset/{token}': 'public',
  'POST /api/v1/auth/password-reset/confirm': 'public',
  'POST /api/v1/auth/verify-email': 'signed-in',
  'GET /api/v1/auth/verify-email/{token}': 'public',
  'POST /api/v1/auth/verify-email/confirm': 'public',
  'GET /api/v1/users': 'users:read',
  'PATCH /api/v1/users/{id}': 'users:write',
  'POST /api/v1/users/{id}/unblock': 'users:write',
  'GET /api/v1/staff': 'public',
  'GET /api/v1/staff/{id}': 'public',
  'PATCH /api/v1/staff/{id}': 'users:write',
  'GET /api/v1/staff/{staff_id}/settings': 'public',
  'PATCH /api/v1/staff/{staff_id}/settings': 'availability:write',
  'POST /api/v1/services': 'services:write',
  'GET /api/v1/services': 'public',
  'GET /api/v1/services/{id}': 'public',
  'PATCH /api/v1/services/{id}': 'services:write',
  'DELETE /api/v1/services/{id}': 'services:write',
  'POST /api/v1/availability': 'availability:write',
  'GET /api/v1/availability': 'public',
  'GET /api/v1/availability/slots': 'public',
  'PATCH /api/v1/availability/{id}': 'availability:write',
  'DELETE /api/v1/availability/{id}': 'availability:write',
  'POST /api/v1/appointments': 'appointments:write',
  'GET /api/v1/appointments': 'appointments:read',
  'GET /api/v1/appointments/{id}': 'appointments:read',
  'PATCH /api/v1/appointments/{id}': 'appointments:write',
  'POST /api/v1/appointments/{id}/cancel': 'appointments:write',
  'POST /api/v1/appointments/{id}/reschedule': 'appointments:write',
  'POST /api/v1/appointments/{id}/mark-completed': 'appointments:write',
  'POST /api/v1/appointments/{id}/mark-no-show': 'appointments:write',
  'GET /api/v1/appointments/{id}/history': 'appointments:read',
  'GET /api/v1/appointments/{id}/export.ics': 'appointments:read',
  'GET /api/v1/appointments/export-all.ics': 'appointments:read',
  'GET /api/v1/calendar/feed.ics': 'public',
  'POST /api/v1/calendar/feeds': 'signed-in',
  'GET /api/v1/calendar/feeds': 'signed-in',
  'DELETE /api/v1/calendar/feeds/{id}': 'signed-in',
  'GET /api/v1/manage/{token}': 'public',
  'POST /api/v1/manage/{token}/cancel': 'public',
  'POST /api/v1/manage/{token}/reschedule': 'public',
  'GET /api/v1/admin/notifications': 'appointments:read',
  'POST /api/v1/admin/notifications/{id}/retry': 'appointments:write',
  'POST /api/v1/api-keys': 'signed-in',
  'GET /api/v1/api-keys': 'signed-in',
  'DELETE /api/v1/api-keys/{id}': 'signed-in',
  'POST /api/v1/webhooks': 'webhooks:manage',
  'GET /api/v1/webhooks': 'webhooks:manage',
  'GET /api/v1/webhooks/{id}': 'webhooks:manage',
  'PATCH /api/v1/webhooks/{id}': 'webhooks:manage',
  'DELETE /api/v1/webhooks/{id}': 'webhooks:manage',
  'POST /api/v1/webhooks/{id}/rotate-secret': 'webhooks:manage',
  'POST /api/v1/webhooks/{id}/test': 'webhooks:manage',
  'GET /api/v1/webhooks/{id}/deliveries': 'webhooks:manage',
  'POST /api/v1/webhooks/deliveries/{id}/retry': 'webhooks:manage',
};

/** What a key holding only `held` is answered in `row`. */
export function keyOutcome(row: Row, held: ApiKeyScope): Outcome {
  const access = KEY_ACCESS[row.operation];
  if (access === undefined) throw new Error(`no key access for ${row.operation}`);
  if (access === 'public' || access === held) return row.expect.admin;
  return access === 'signed-in' ? FORBIDDEN : deny(403, 'AUTH.SCOPE_MISSING');
}

/**
 * Role changes: an admin changes a user's role (or deactivates them) over REST, then the user tries
 * every route of one appointment on an appointment of their former role: theirs as client or as
 * staff member, or (a former admin) anyone's. Powers follow the current role, so they are told it
 * does not exist, like any outsider (a deactivated user's sessions are gone: 401), and nothing
 * changes. Their listing, export and calendar feed hold only what the new role owns.
 */
export interface RoleChange {
  readonly from: 'client' | 'staff' | 'admin';
  readonly to: 'client' | 'staff' | 'deactivated';
  /** What every route of a former appointment answers. */
  readonly denied: Deny;
  /** What their listing and export-all.ics answer, and their feed (made in the former role). */
  readonly lists: 200 | Deny;
  readonly feed: 200 | Deny;
}

export const ROLE_CHANGES: readonly RoleChange[] = [
  { from: 'staff', to: 'client', denied: HIDDEN, lists: 200, feed: 200 },
  { from: 'client', to: 'staff', denied: HIDDEN, lists: 200, feed: 200 },
  { from: 'admin', to: 'client', denied: HIDDEN, lists: 200, feed: 200 },
  { from: 'admin', to: 'staff', denied: HIDDEN, lists: 200, feed: 200 },
  { from: 'staff', to: 'deactivated', denied: UNAUTHENTICATED, lists: UNAUTHENTICATED, feed: NO_FEED },
];

/** The routes of one appointment, as the matrix lists them. */
export const APPOINTMENT_ROUTES = [...new Set(MATRIX.map((row) => row.operation).filter((operation) => operation.includes('/appointments/{id}')))];

/**
 * IDOR attempts on every route with an id: client A and staff S reach for the other party's
 * resource, and for an id that does not exist. `hides`: both answers must be identical (status,
 * code, message up to the id); otherwise the two statuses are given (the resource is public).
 */
export type Idor =
  | { readonly operation: string; readonly hides: true }
  | { readonly operation: string; readonly hides: false; readonly other: Deny | 200; readonly missing: Deny; readonly why: string };

export const IDOR: readonly Idor[] = [
  // A link's token is its own proof: someone else's user id where the token goes finds nothing, as a missing one.
  { operation: 'GET /api/v1/auth/password-reset/{token}', hides: true },
  { operation: 'GET /api/v1/auth/verify-email/{token}', hides: true },
  { operation: 'PATCH /api/v1/users/{id}', hides: true },
  { operation: 'POST /api/v1/users/{id}/unblock', hides: true },
  {
    operation: 'GET /api/v1/staff/{id}',
    hides: false,
    other: 200,
    missing: deny(404, 'STAFF.NOT_FOUND'),
    why: 'the staff directory is public: GET /api/v1/staff lists it with its ids',
  },
  // Who may is decided before whether the entry exists: 403 alike.
  { operation: 'PATCH /api/v1/staff/{id}', hides: true },
  {
    operation: 'GET /api/v1/staff/{staff_id}/settings',
    hides: false,
    other: 200,
    missing: deny(404, 'STAFF.NOT_FOUND'),
    why: 'booking rules are public: anyone may read them to book',
  },
  { operation: 'PATCH /api/v1/staff/{staff_id}/settings', hides: true },
  {
    operation: 'GET /api/v1/services/{id}',
    hides: false,
    other: 200,
    missing: deny(404, 'SERVICE.NOT_FOUND'),
    why: 'active services are public: GET /api/v1/services lists them with their ids',
  },
  { operation: 'PATCH /api/v1/services/{id}', hides: true },
  { operation: 'DELETE /api/v1/services/{id}', hides: true },
  {
    operation: 'PATCH /api/v1/availability/{id}',
    hides: false,
    other: FORBIDDEN,
    missing: deny(404, 'AVAILABILITY.NOT_FOUND'),
    why: 'entries are public (GET /api/v1/availability lists them with their ids)',
  },
  {
    operation: 'DELETE /api/v1/availability/{id}',
    hides: false,
    other: FORBIDDEN,
    missing: deny(404, 'AVAILABILITY.NOT_FOUND'),
    why: 'entries are public (GET /api/v1/availability lists them with their ids)',
  },
  { operation: 'GET /api/v1/appointments/{id}', hides: true },
  { operation: 'PATCH /api/v1/appointments/{id}', hides: true },
  { operation: 'POST /api/v1/appointments/{id}/cancel', hides: true },
  { operation: 'POST /api/v1/appointments/{id}/reschedule', hides: true },
  { operation: 'POST /api/v1/appointments/{id}/mark-completed', hides: true },
  { operation: 'POST /api/v1/appointments/{id}/mark-no-show', hides: true },
  { operation: 'GET /api/v1/appointments/{id}/history', hides: true },
  { operation: 'GET /api/v1/appointments/{id}/export.ics', hides: true },
  { operation: 'DELETE /api/v1/calendar/feeds/{id}', hides: true },
  // A token forged for their appointment answers as one forged for an appointment that does not exist.
  { operation: 'GET /api/v1/manage/{token}', hides: true },
  { operation: 'POST /api/v1/manage/{token}/cancel', hides: true },
  { operation: 'POST /api/v1/manage/{token}/reschedule', hides: true },
  { operation: 'POST /api/v1/admin/notifications/{id}/retry', hides: true },
  { operation: 'GET /api/v1/webhooks/{id}', hides: true },
  { operation: 'PATCH /api/v1/webhooks/{id}', hides: true },
  { operation: 'DELETE /api/v1/webhooks/{id}', hides: true },
  { operation: 'POST /api/v1/webhooks/{id}/rotate-secret', hides: true },
  { operation: 'POST /api/v1/webhooks/{id}/test', hides: true },
  { operation: 'GET /api/v1/webhooks/{id}/deliveries', hides: true },
  { operation: 'POST /api/v1/webhooks/deliveries/{id}/retry', hides: true },
  { operation: 'DELETE /api/v1/api-keys/{id}', hides: true },
];
