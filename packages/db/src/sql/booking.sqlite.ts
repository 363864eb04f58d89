import type { BookingWrite } from '../appointments/appointment.ts';
import { NEW_APPOINTMENT_COLUMNS, newAppointmentValues, PARTY_NAMES } from './appointments.ts';
import { changeRecord } from './appointment-changes.ts';
import { Statement, type Query } from './statement.ts';

/**
 * SQLite books in three statements run in one synchronous transaction (Runner.sqliteTransaction,
 * BEGIN IMMEDIATE): statements cost no round trip there, and the write lock is taken before
 * anything is read.
 *
 * 1. The appointment (its values: newAppointmentValues), made only while what the booking was
 *    judged by still holds, each guard given or not:
 *    - the staff member's setup version (values: staff id, version); no row yet reads 0;
 *    - the session as read (values: its id, now, then its user's id, role, active, blocked and verified
 *      flags as read): it still exists unexpired and its user is as the request judged them.
 *    When a guard refuses, nothing is inserted and no id comes back.
 * 2. Its "booked" history entry (values: the id, actor, actor API key, at, start, end, and whether
 *    an admin waived the client-busy guard, an override the history records).
 * 3. Its change, for the worker to turn into emails (changeRecord).
 * 4. The parties' names, for the answer (PARTY_NAMES).
 */
const appointment = (setupGuard: boolean, sessionGuard: boolean) => {
  const guards = [
    setupGuard && 'coalesce((select sv.setup_version from schedule_versions sv where sv.staff_id = ?), 0) = ?',
    sessionGuard &&
      `exists (select 1 from sessions s join users u on u.id = s.user_id
        where s.id = ? and s.expires_at > ?
          and u.id = ? and u.role = ? and u.is_active = ? and u.is_blocked = ? and u.email_verified = ?)`,
  ].filter(Boolean);
  return new Statement<{ readonly id: number }>(`
insert into appointments (${NEW_APPOINTMENT_COLUMNS})
select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0${guards.length === 0 ? '' : `\nwhere ${guards.join('\n  and ')}`}
returning id`);
};

const BOOKED = new Statement(`
insert into appointment_events (appointment_id, actor_id, actor_api_key_id, at, action, from_status, to_status, from_start, from_end, to_start, to_end, reason, policy_override)
values (?, ?, ?, ?, 'booked', null, 'scheduled', null, null, ?, ?, null, ?)`);

/** Each combination of guards. */
const APPOINTMENTS = [false, true].map((setupGuard) => [false, true].map((sessionGuard) => appointment(setupGuard, sessionGuard)));

/** The booking's statements: the appointment's first, then, given its id, the rest, then the names. */
export function bookingOnSqlite(
  write: BookingWrite & { readonly localDate: string },
  now: Date,
): { appointment: Query<{ readonly id: number }>; rest: (id: number) => Query[]; names: Query<{ readonly staff_name: string; readonly client_name: string }> } {
  const { setupVersion, session } = write;
  const values = newAppointmentValues(write, now);
  if (setupVersion !== undefined) values.push(write.staffId, setupVersion);
  if (session) values.push(session.id, now, session.user.id, session.user.role, session.user.isActive, session.user.isBlocked, session.user.emailVerified);
  return {
    appointment: [APPOINTMENTS[Number(setupVersion !== undefined)]![Number(session !== undefined)]!, values],
    rest: (id) => [
      [BOOKED, [id, write.actorId, write.actorApiKeyId, new Date(write.at), new Date(write.start), new Date(write.end), write.clientOverlapAllowed ?? false]],
      changeRecord(id, 0, { kind: 'booked' }, { ...write, status: 'scheduled', updatedAt: now.getTime() }, write.at),
    ],
    names: [PARTY_NAMES, [write.staffId, write.clientId]],
  };
}
