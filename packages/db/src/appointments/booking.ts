import type { EntityManager } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sqlite';
import type { PlannedNotification } from '@appointments/domain';
import { OUTBOX_COLUMNS, insertOutbox, outboxValues } from '../notifications/outbox-insert.ts';
import { execute, repeated, sqliteTransaction, Statement, statementsByCount } from '../raw-sql.ts';
import { sessionAsReadValues, sessionStillAsRead, StaleSessionError, type SessionAsRead } from '../sessions/session-guard.ts';
import { EVENT_COLUMNS } from './appointment-event.repository.ts';
import type { NewAppointment } from './appointment.repository.ts';
import { SETUP_VERSION_OF } from './booking-setup.ts';

/** A new appointment with what must commit with it: its "booked" history entry and its outbox rows. */
export interface BookingWrite extends NewAppointment {
  /** Who booked (the history entry's actor) and when. */
  readonly actorId: number;
  readonly at: Date;
  readonly notifications: readonly PlannedNotification[];
  /**
   * The staff member's setup version the booking was checked against (a cached setup, say): the
   * write refuses itself with StaleSetupError, writing nothing, if the setup has moved since.
   */
  readonly setupVersion?: number;
  /**
   * The session the request was judged by, when it was one kept from an earlier request: the write
   * refuses itself with StaleSessionError, writing nothing, unless it still reads so (session-guard.ts).
   */
  readonly session?: SessionAsRead;
}

/** The setup a booking was checked against changed before it was written; check again and retry. */
export class StaleSetupError extends Error {
  constructor(staffId: number) {
    super(`The booking setup of staff member ${staffId} changed while booking`);
    this.name = 'StaleSetupError';
  }
}

// SQLite runs the three inserts in one synchronous transaction: statements cost no round trip there.
const APPOINTMENT_COLUMNS = 'client_id, staff_id, start_at, end_at, buffered_start, buffered_end, notes, client_overlap_allowed, status, sequence, created_at, updated_at';
const APPOINTMENT_INSERT = `insert into appointments (${APPOINTMENT_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0, ?, ?) returning id`;

/** A new appointment's values, in APPOINTMENT_COLUMNS order (the literal status and sequence aside). */
export const appointmentValues = (a: NewAppointment, now: Date): unknown[] => [
  a.clientId,
  a.staffId,
  a.start,
  a.end,
  a.bufferedStart,
  a.bufferedEnd,
  a.notes,
  a.clientOverlapAllowed ?? false,
  now,
  now,
];
/**
 * The same insert, made only while what the booking was judged by still holds: the staff member's
 * setup version (the values staff id, version) and/or the session as read (session-guard.ts).
 * PostgreSQL can't type an INSERT … SELECT's values from the columns, hence its casts. There the
 * version is read under the lock the appointments trigger takes on its row anyway (FOR NO KEY
 * UPDATE, not a share lock that two bookings would both hold and then deadlock upgrading): a setup
 * change still committing is waited for, and its version compared. The session is read as of the
 * statement's start (READ COMMITTED), as the separate read before it was. SQLite takes the write
 * lock before it reads.
 */
interface Guards {
  readonly setup: boolean;
  readonly session: boolean;
}
/** Each combination, at its guardKey. */
const GUARDS: readonly Guards[] = [0, 1, 2, 3].map((key) => ({ setup: (key & 1) === 1, session: (key & 2) === 2 }));
const guardKey = ({ setup, session }: Guards) => Number(setup) + 2 * Number(session);
const guardedInsert = (guards: Guards, postgresql: boolean) => {
  if (!guards.setup && !guards.session) return APPOINTMENT_INSERT;
  const int = postgresql ? '::int' : '';
  const values = postgresql
    ? "?::int, ?::int, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::text, ?::boolean, 'scheduled', 0, ?::timestamptz, ?::timestamptz"
    : "?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0, ?, ?";
  const conditions = [guards.setup && `${SETUP_VERSION_OF(`?${int}`, postgresql)} = ?${int}`, guards.session && sessionStillAsRead(postgresql)].filter(Boolean);
  return `insert into appointments (${APPOINTMENT_COLUMNS}) select ${values} where ${conditions.join(' and ')} returning id`;
};
const EVENT_INSERT = `insert into appointment_events (${EVENT_COLUMNS})`;
export const INSERT_APPOINTMENT = new Statement<{ readonly id: number }>(APPOINTMENT_INSERT);
const SQLITE_INSERTS = GUARDS.map((guards) => (guardKey(guards) === 0 ? INSERT_APPOINTMENT : new Statement<{ readonly id: number }>(guardedInsert(guards, false))));
const INSERT_EVENT = new Statement<never>(`${EVENT_INSERT} values (?, ?, ?, 'booked', null, 'scheduled', null, null, ?, ?, null, ?)`);
/**
 * PostgreSQL: all three inserts in one statement, which is atomic on its own, so one round trip
 * instead of five (BEGIN, three inserts, COMMIT); on this path round trips, not SQL, cost most of
 * the API's CPU. Foreign keys and the exclusion constraint are checked as for separate inserts.
 * When the guarded appointment insert inserts nothing, neither do the others. The outbox rows are
 * a new appointment's, so none can exist already: no ON CONFLICT (its speculative insert costs).
 */
const bookInOneStatement = (appointmentInsert: string) =>
  statementsByCount((count) => {
    const notifications =
      count === 0
        ? ''
        : `, n as (insert into notifications (${OUTBOX_COLUMNS})` +
          ` select a.id, v.recipient_id, v.kind, v.sequence, 'pending', v.due_at, v.details, 0, v.at, v.at from a,` +
          ` (values ${repeated(count, '(?::int, ?::text, ?::int, ?::timestamptz, ?::jsonb, ?::timestamptz)')}) as v(recipient_id, kind, sequence, due_at, details, at))`;
    return new Statement<{ readonly id: number }>(
      `with a as (${appointmentInsert}), e as (${EVENT_INSERT}` +
        " select a.id, ?::int, ?::timestamptz, 'booked', null, 'scheduled', null, null, ?::timestamptz, ?::timestamptz, null, ?::boolean from a)" +
        `${notifications} select id from a`,
    );
  });
const BOOK_IN_ONE_STATEMENT = GUARDS.map((guards) => bookInOneStatement(guardedInsert(guards, true)));

/**
 * Writes the booking atomically; the new appointment's id. Driver errors come out converted (see
 * raw-sql.ts); StaleSetupError or StaleSessionError if a guard no longer holds (nothing is written
 * then). With both guards a refusal is reported as StaleSetupError: the caller rereads the setup and
 * writes again, guarded by the session alone, which tells the two apart.
 */
export async function writeBooking(em: EntityManager, booking: BookingWrite, now: Date): Promise<number> {
  const { notifications, setupVersion, session } = booking;
  const guards = { setup: setupVersion !== undefined, session: session !== undefined };
  const appointment = appointmentValues(booking, now);
  if (setupVersion !== undefined) appointment.push(booking.staffId, setupVersion);
  if (session) appointment.push(...sessionAsReadValues(session, now));
  // An admin's waiver of the client-busy guard is an override the history records.
  const event = [booking.actorId, booking.at, booking.start, booking.end, booking.clientOverlapAllowed ?? false];
  const written = (rows: readonly { readonly id: number }[]) => {
    if (rows[0]) return rows[0].id;
    throw guards.setup ? new StaleSetupError(booking.staffId) : new StaleSessionError();
  };
  if (!(em.getPlatform() instanceof SqlitePlatform)) {
    const outbox = notifications.flatMap((n) => [n.recipientId, n.kind, n.sequence, new Date(n.dueAt), JSON.stringify(n.details), now]);
    const statement = BOOK_IN_ONE_STATEMENT[guardKey(guards)]!(notifications.length);
    return written((await execute(em, statement, [...appointment, ...event, ...outbox])).rows);
  }
  return sqliteTransaction(em, (run) => {
    const id = written(run(SQLITE_INSERTS[guardKey(guards)]!, appointment).rows);
    run(INSERT_EVENT, [id, ...event]);
    if (notifications.length > 0) run(insertOutbox(notifications.length), outboxValues(id, notifications, now));
    return id;
  });
}
