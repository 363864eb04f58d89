import { changedFields } from '@appointments/domain';
import type { BookingWrite } from '../appointments/appointment.ts';
import { NEW_APPOINTMENT_COLUMNS, newAppointmentValues, type BookedRow } from './appointments.ts';
import { Statement, type Query } from './statement.ts';

/**
 * PostgreSQL books in one statement, which is atomic on its own: one round trip instead of five
 * (BEGIN, three inserts, COMMIT); on this path round trips, not SQL, cost most of the API's CPU.
 *
 * a: the appointment (its values: newAppointmentValues), made only while what the booking was
 *    judged by still holds, each guard given or not:
 *    - the staff member's setup version (values: staff id, version), read under the lock the
 *      appointments trigger takes on its row anyway (FOR NO KEY UPDATE, not a share lock that two
 *      bookings would both hold and then deadlock upgrading): a setup change still committing is
 *      waited for, and its version compared; no row yet reads 0;
 *    - the session as read (values: its id, now, then its user's id, role, active, blocked and verified
 *      flags as read), as of the statement's start (READ COMMITTED): it still exists unexpired
 *      and its user is as the request judged them.
 *    An INSERT … SELECT can't type its values from the columns, hence the casts. Foreign keys and
 *    the exclusion constraint are checked as for separate inserts.
 * e: its "booked" history entry (values: actor, actor API key, at, start, end, and whether an
 *    admin waived the client-busy guard, an override the history records).
 * c: its change, for the worker to turn into emails and webhooks (values: the start, what it left, at).
 * Then the id and the parties' names, for the answer (values: staff id, client id).
 * When a inserts nothing, neither do the others, and no row comes back.
 */
const booking = (setupGuard: boolean, sessionGuard: boolean) => {
  const guards = [
    setupGuard && 'coalesce((select sv.setup_version from schedule_versions sv where sv.staff_id = ?::int for no key update), 0) = ?::int',
    sessionGuard &&
      `exists (select 1 from sessions s join users u on u.id = s.user_id
        where s.id = ?::text and s.expires_at > ?::timestamptz
          and u.id = ?::int and u.role = ?::text and u.is_active = ?::boolean and u.is_blocked = ?::boolean and u.email_verified = ?::boolean)`,
  ].filter(Boolean);
  return new Statement<BookedRow>(`
with a as (
  insert into appointments (${NEW_APPOINTMENT_COLUMNS})
  select ?::int, ?::int, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::text, ?::boolean, ?::int, ?::text, ?::text, ?::timestamptz, ?::timestamptz, 'scheduled', 0${
    guards.length === 0 ? '' : `\n  where ${guards.join('\n    and ')}`
  }
  returning id
), e as (
  insert into appointment_events (appointment_id, actor_id, actor_api_key_id, at, action, from_status, to_status, from_start, from_end, to_start, to_end, reason, policy_override)
  select a.id, ?::int, ?::int, ?::timestamptz, 'booked', null, 'scheduled', null, null, ?::timestamptz, ?::timestamptz, null, ?::boolean from a
), c as (
  insert into appointment_changes (appointment_id, sequence, kind, start_at, details, state, at)
  select a.id, 0, 'booked', ?::timestamptz, '{}'::jsonb, ?::jsonb, ?::timestamptz from a
)
select a.id, (select u.full_name from users u where u.id = ?::int) as staff_name, (select u.full_name from users u where u.id = ?::int) as client_name from a`);
};

/** Each combination of guards. */
const BOOKINGS = [false, true].map((setupGuard) => [false, true].map((sessionGuard) => booking(setupGuard, sessionGuard)));

/** The booking's statement and values; its one row is the new appointment's id, none if a guard refused it. */
export function bookingOnPostgresql(write: BookingWrite & { readonly localDate: string }, now: Date): Query<BookedRow> {
  const { setupVersion, session } = write;
  const values = newAppointmentValues(write, now);
  if (setupVersion !== undefined) values.push(write.staffId, setupVersion);
  if (session) values.push(session.id, now, session.user.id, session.user.role, session.user.isActive, session.user.isBlocked, session.user.emailVerified);
  const { at, start, end } = write;
  values.push(write.actorId, write.actorApiKeyId, new Date(at), new Date(start), new Date(end), write.clientOverlapAllowed ?? false, new Date(start), JSON.stringify(changedFields({ ...write, status: 'scheduled', updatedAt: now.getTime() })), new Date(at), write.staffId, write.clientId);
  return [BOOKINGS[Number(setupVersion !== undefined)]![Number(session !== undefined)]!, values];
}
