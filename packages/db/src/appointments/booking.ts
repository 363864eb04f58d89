import type { Runner } from '../runner/index.ts';
import { bookingOnPostgresql } from '../sql/booking.postgresql.ts';
import { bookingOnSqlite } from '../sql/booking.sqlite.ts';
import { StaleSessionError } from '../sessions/session-guard.ts';
import type { BookedRow } from '../sql/appointments.ts';
import type { BookingWrite } from './appointment.ts';

/** The setup a booking was checked against changed before it was written; check again and retry. */
export class StaleSetupError extends Error {
  constructor(staffId: number) {
    super(`The booking setup of staff member ${staffId} changed while booking`);
    this.name = 'StaleSetupError';
  }
}

/**
 * Writes the booking atomically, in as few round trips as the engine allows (sql/booking.*.ts); the
 * new appointment's id and its parties' names. Driver errors come out converted (runner/); StaleSetupError or
 * StaleSessionError if a guard no longer holds (nothing is written then). With both guards a
 * refusal is reported as StaleSetupError: the caller rereads the setup and writes again, guarded
 * by the session alone, which tells the two apart.
 */
export async function writeBooking(sql: Runner, booking: BookingWrite & { readonly localDate: string }, now: Date): Promise<BookedRow> {
  const written = <Row>(rows: readonly Row[]): Row => {
    if (rows[0]) return rows[0];
    throw booking.setupVersion !== undefined ? new StaleSetupError(booking.staffId) : new StaleSessionError();
  };
  if (sql.dialect === 'postgresql') return written((await sql.run(...bookingOnPostgresql(booking, now))).rows);
  const { appointment, rest, names } = bookingOnSqlite(booking, now);
  return sql.sqliteTransaction((run) => {
    const { id } = written(run(...appointment).rows);
    for (const query of rest(id)) run(...query);
    return { id, ...run(...names).rows[0]! };
  });
}
