import { changedFields, type AppointmentChange, type AppointmentChangeKind, type ChangedFields, type Instant } from '@appointments/domain';
import { pagedList } from './clauses.ts';
import { Statement, type Query } from './statement.ts';

export interface AppointmentChangeRow {
  readonly id: number;
  readonly appointment_id: number;
  readonly sequence: number;
  readonly kind: AppointmentChangeKind;
  readonly start_at: unknown;
  /** Parsed on PostgreSQL (jsonb), text on SQLite. */
  readonly details: Record<string, unknown> | string;
  /** The same; null on changes recorded before states were. */
  readonly state: ChangedFields | string | null;
  readonly at: unknown;
  readonly processed_at: unknown;
}

/** A change to process, with its appointment's parties and its service's reminder lead times (null: the deployment's, or no service). */
export type ClaimedChangeRow = AppointmentChangeRow & {
  readonly client_id: number;
  readonly staff_id: number;
  readonly reminder_lead_minutes: readonly number[] | string | null;
};

const COLUMNS = 'c.id, c.appointment_id, c.sequence, c.kind, c.start_at, c.details, c.state, c.at, c.processed_at';

const RECORD_CHANGE = new Statement('insert into appointment_changes (appointment_id, sequence, kind, start_at, details, state, at) values (?, ?, ?, ?, ?, ?, ?)');

/** A change's row: its kind in a column of its own, the rest of it as JSON, and what it left of the appointment (`after`). */
export function changeRecord(appointmentId: number, sequence: number, change: AppointmentChange, after: ChangedFields & { readonly start: Instant }, at: Instant): Query {
  const { kind, ...details } = change;
  return [RECORD_CHANGE, [appointmentId, sequence, kind, new Date(after.start), JSON.stringify(details), JSON.stringify(changedFields(after)), new Date(at)]];
}

/**
 * Unprocessed changes, oldest first, each only once every earlier change of its appointment is
 * processed: an appointment's changes are applied in order. PostgreSQL locks them, skipping those
 * another worker holds (and, as the earlier change it holds is unprocessed, that appointment's later ones).
 */
const CLAIMABLE =
  `select ${COLUMNS}, a.client_id, a.staff_id, sv.reminder_lead_minutes from appointment_changes c join appointments a on a.id = c.appointment_id` +
  ' left join services sv on sv.id = a.service_id' +
  ' where c.processed_at is null and not exists' +
  ' (select 1 from appointment_changes e where e.appointment_id = c.appointment_id and e.processed_at is null and e.sequence < c.sequence)' +
  ' order by c.id limit ?';
export const CLAIM_CHANGES = new Statement<ClaimedChangeRow>(CLAIMABLE, `${CLAIMABLE} for update of c skip locked`);

/** Ids as a list (values.ts). */
export const MARK_PROCESSED = new Statement(
  'update appointment_changes set processed_at = ? where id in (select value from json_each(?))',
  'update appointment_changes set processed_at = ? where id = any(?::int[])',
);

/** Processed changes done before a time, a batch at a time (deleteInBatches). */
export const PRUNE_PROCESSED = new Statement(
  'delete from appointment_changes where id in (select id from appointment_changes where processed_at is not null and processed_at < ? limit ?)',
);

/** A page of changes, oldest first, and the count of all that match. */
export const changeList = pagedList<AppointmentChangeRow, 'appointmentId'>(COLUMNS, 'appointment_changes c', { columns: ['c.id'] }, [
  ['appointmentId', 'c.appointment_id = ?'],
]);
