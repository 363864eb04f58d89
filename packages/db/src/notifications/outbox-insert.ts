import type { PlannedNotification } from '@appointments/domain';
import { repeated, Statement, statementsByCount } from '../raw-sql.ts';

/** The columns an outbox insert fills, in the order `outboxValues` gives them (status and attempts are literals). */
export const OUTBOX_COLUMNS = 'appointment_id, recipient_id, kind, sequence, status, due_at, details, attempts, created_at, updated_at';
/** A row already recorded (same appointment, kind, version, person) is kept as it is. */
export const ONCE_PER_VERSION = 'on conflict (appointment_id, kind, sequence, recipient_id) do nothing';

/** Inserts `count` pending rows, raw and prepared: every booking and change records some (a handful at most). */
export const insertOutbox = statementsByCount(
  (count) =>
    new Statement<never>(
      `insert into notifications (${OUTBOX_COLUMNS}) values ${repeated(count, "(?, ?, ?, ?, 'pending', ?, ?, 0, ?, ?)")} ${ONCE_PER_VERSION}`,
    ),
);

/** `insertOutbox`'s parameters for the planned notifications of one appointment. */
export function outboxValues(appointmentId: number, planned: readonly PlannedNotification[], now: Date): unknown[] {
  return planned.flatMap((n) => [appointmentId, n.recipientId, n.kind, n.sequence, new Date(n.dueAt), JSON.stringify(n.details), now, now]);
}
