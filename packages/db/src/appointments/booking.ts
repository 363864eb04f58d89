import type { EntityManager } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sqlite';
import type { PlannedNotification } from '@appointments/domain';
import { ONCE_PER_VERSION, OUTBOX_COLUMNS, insertOutbox, outboxValues } from '../notifications/outbox-insert.ts';
import { execute, repeated, Statement, statementsByCount, transaction } from '../raw-sql.ts';
import { EVENT_COLUMNS } from './appointment-event.repository.ts';
import type { NewAppointment } from './appointment.repository.ts';

/** A new appointment with what must commit with it: its "booked" history entry and its outbox rows. */
export interface BookingWrite extends NewAppointment {
  /** Who booked (the history entry's actor) and when. */
  readonly actorId: number;
  readonly at: Date;
  readonly notifications: readonly PlannedNotification[];
}

// SQLite runs the three inserts in one transaction: statements cost no round trip there.
const APPOINTMENT_INSERT =
  'insert into appointments (client_id, staff_id, start_at, end_at, buffered_start, buffered_end, notes, status, sequence, created_at, updated_at)' +
  " values (?, ?, ?, ?, ?, ?, ?, 'scheduled', 0, ?, ?) returning id";
const EVENT_INSERT = `insert into appointment_events (${EVENT_COLUMNS})`;
export const INSERT_APPOINTMENT = new Statement<{ readonly id: number }>(APPOINTMENT_INSERT);
const INSERT_EVENT = new Statement<never>(`${EVENT_INSERT} values (?, ?, ?, 'booked', null, 'scheduled', null, null, ?, ?, null, ?)`);
/**
 * PostgreSQL: all three inserts in one statement, which is atomic on its own, so one round trip
 * instead of five (BEGIN, three inserts, COMMIT); on this path round trips, not SQL, cost most of
 * the API's CPU. Foreign keys and the exclusion constraint are checked as for separate inserts.
 */
const bookInOneStatement = statementsByCount((count) => {
  const notifications =
    count === 0
      ? ''
      : `, n as (insert into notifications (${OUTBOX_COLUMNS})` +
        ` select a.id, v.recipient_id, v.kind, v.sequence, 'pending', v.due_at, v.details, 0, v.at, v.at from a,` +
        ` (values ${repeated(count, '(?::int, ?::text, ?::int, ?::timestamptz, ?::jsonb, ?::timestamptz)')}) as v(recipient_id, kind, sequence, due_at, details, at) ${ONCE_PER_VERSION})`;
  return new Statement<{ readonly id: number }>(
    `with a as (${APPOINTMENT_INSERT}), e as (${EVENT_INSERT}` +
      " select a.id, ?::int, ?::timestamptz, 'booked', null, 'scheduled', null, null, ?::timestamptz, ?::timestamptz, null, ?::boolean from a)" +
      `${notifications} select id from a`,
  );
});

/** Writes the booking atomically; the new appointment's id. Driver errors come out converted (see raw-sql.ts). */
export async function writeBooking(em: EntityManager, booking: BookingWrite, now: Date): Promise<number> {
  const appointment = [booking.clientId, booking.staffId, booking.start, booking.end, booking.bufferedStart, booking.bufferedEnd, booking.notes, now, now];
  const event = [booking.actorId, booking.at, booking.start, booking.end, false];
  const { notifications } = booking;
  if (!(em.getPlatform() instanceof SqlitePlatform)) {
    const outbox = notifications.flatMap((n) => [n.recipientId, n.kind, n.sequence, new Date(n.dueAt), JSON.stringify(n.details), now]);
    const { rows } = await execute(em, bookInOneStatement(notifications.length), [...appointment, ...event, ...outbox]);
    return rows[0]!.id;
  }
  return transaction(em, async (tx) => {
    const { rows } = await execute(em, INSERT_APPOINTMENT, appointment, tx);
    const id = rows[0]!.id;
    await execute(em, INSERT_EVENT, [id, ...event], tx);
    if (notifications.length > 0) await execute(em, insertOutbox(notifications.length), outboxValues(id, notifications, now), tx);
    return id;
  });
}
