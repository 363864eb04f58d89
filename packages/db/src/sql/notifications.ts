import type { AppointmentStatus, NotificationDetails, NotificationKind, NotificationStatus, PlannedNotification, Role } from '@appointments/domain';
import { pagedList } from './clauses.ts';
import { repeated, Statement, statementsBy, type Query } from './statement.ts';

export interface NotificationRow {
  readonly id: number;
  readonly appointment_id: number;
  readonly recipient_id: number;
  readonly kind: NotificationKind;
  readonly sequence: number;
  readonly status: NotificationStatus;
  readonly due_at: unknown;
  /** 0 unless a reminder. */
  readonly lead_minutes: number;
  /** Parsed on PostgreSQL (jsonb), text on SQLite. */
  readonly details: NotificationDetails | string;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly queued_at: unknown;
  readonly sent_at: unknown;
  readonly message_id: string | null;
  readonly created_at: unknown;
  readonly updated_at: unknown;
}

const COLUMNS =
  'n.id, n.appointment_id, n.recipient_id, n.kind, n.sequence, n.status, n.due_at, n.lead_minutes, n.details, n.attempts, n.last_error,' +
  ' n.queued_at, n.sent_at, n.message_id, n.created_at, n.updated_at';

/** Not sent, dropped or failed yet. */
const OPEN = "status in ('pending', 'queued')";

/** Records `count` pending rows; a row already recorded (same appointment, kind, version, person, lead time) is kept as it is. */
const RECORD = statementsBy(
  (count: number) =>
    new Statement(
      'insert into notifications (appointment_id, recipient_id, kind, sequence, status, due_at, lead_minutes, details, attempts, created_at, updated_at)' +
        ` values ${repeated(count, "(?, ?, ?, ?, 'pending', ?, ?, ?, 0, ?, ?)")} on conflict (appointment_id, kind, sequence, recipient_id, lead_minutes) do nothing`,
    ),
);

/** Notifications of one appointment (a handful at most: one change's, or the sweep's reminders). */
export function recordOutbox(appointmentId: number, planned: readonly PlannedNotification[], now: Date): Query {
  return [
    RECORD(planned.length),
    planned.flatMap((n) => [appointmentId, n.recipientId, n.kind, n.sequence, new Date(n.dueAt), n.leadMinutes ?? 0, JSON.stringify(n.details), now, now]),
  ];
}

export const NOTIFICATION_BY_ID = new Statement<NotificationRow>(`select ${COLUMNS} from notifications n where n.id = ?`);

interface PartyColumns {
  readonly id: number | null;
  readonly full_name: string;
  readonly email: string;
  readonly timezone: string;
  readonly role: Role;
  readonly locale: string | null;
}
type Prefixed<P extends string> = { readonly [K in keyof PartyColumns as `${P}_${K}`]: PartyColumns[K] };
export type DeliverableRow = NotificationRow &
  Prefixed<'c'> &
  Prefixed<'s'> &
  Prefixed<'r'> & {
    readonly a_id: number | null;
    readonly a_start_at: unknown;
    readonly a_end_at: unknown;
    readonly a_notes: string | null;
    readonly a_status: AppointmentStatus;
    readonly a_sequence: number;
    readonly a_updated_at: unknown;
    /** Null when it was booked by its times alone. */
    readonly sv_name: string | null;
    readonly sv_location: string | null;
  };
const party = (alias: 'c' | 's' | 'r') => ['id', 'full_name', 'email', 'timezone', 'role', 'locale'].map((column) => `${alias}.${column} as ${alias}_${column}`).join(', ');

/**
 * Every email reads it: the notification, its appointment, its service, both parties and the
 * recipient (a party, or the staff member the appointment moved away from), in one statement.
 */
export const DELIVERABLE = new Statement<DeliverableRow>(
  `select ${COLUMNS},` +
    ' a.id as a_id, a.start_at as a_start_at, a.end_at as a_end_at, a.notes as a_notes, a.status as a_status, a.sequence as a_sequence,' +
    ` a.updated_at as a_updated_at, sv.name as sv_name, sv.location as sv_location, ${party('c')}, ${party('s')}, ${party('r')}` +
    ' from notifications n left join appointments a on a.id = n.appointment_id left join services sv on sv.id = a.service_id' +
    ' left join users c on c.id = a.client_id left join users s on s.id = a.staff_id left join users r on r.id = n.recipient_id where n.id = ?',
);

/** Pending rows due by a time, oldest due first; PostgreSQL locks them, skipping rows another relay holds. */
export const DUE_PENDING = new Statement<NotificationRow>(
  `select ${COLUMNS} from notifications n where n.status = 'pending' and n.due_at <= ? order by n.due_at, n.id limit ?`,
  `select ${COLUMNS} from notifications n where n.status = 'pending' and n.due_at <= ? order by n.due_at, n.id limit ? for update skip locked`,
);

/** Queued before a time and due by another, oldest due first. */
export const QUEUED_DUE = new Statement<NotificationRow>(
  `select ${COLUMNS} from notifications n where n.status = 'queued' and n.due_at <= ? and n.queued_at < ? order by n.due_at, n.id limit ?`,
);

// Every state change is one conditional UPDATE, so racing workers cannot undo each other.
/** Unsent notifications about versions older than a change's will never be true again. */
export const DROP_SUPERSEDED = new Statement(`update notifications set status = 'dropped', last_error = ?, updated_at = ? where appointment_id = ? and sequence < ? and ${OPEN}`);
/** A change that tells nobody moves what the version before had recorded (sent or not) to its own. */
export const CARRY_OVER = new Statement('update notifications set sequence = ?, updated_at = ? where appointment_id = ? and sequence = ?');
/** Ids as a list (values.ts). */
export const MARK_QUEUED = new Statement(
  `update notifications set status = 'queued', queued_at = ?, updated_at = ? where id in (select value from json_each(?)) and ${OPEN}`,
  `update notifications set status = 'queued', queued_at = ?, updated_at = ? where id = any(?::int[]) and ${OPEN}`,
);
// Recorded whatever the row said meanwhile: it was sent. Once per email sent.
export const MARK_SENT = new Statement("update notifications set status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1, updated_at = ? where id = ? and status <> 'sent'");
export const MARK_DROPPED = new Statement(`update notifications set status = 'dropped', last_error = ?, updated_at = ? where id = ? and ${OPEN}`);
export const RECORD_FAILURE = new Statement(`update notifications set attempts = attempts + 1, last_error = ?, updated_at = ? where id = ? and ${OPEN}`);
/** A null error keeps the last one recorded. */
export const MARK_FAILED = new Statement(`update notifications set status = 'failed', last_error = coalesce(?, last_error), updated_at = ? where id = ? and ${OPEN}`);
export const RETRY = new Statement("update notifications set status = 'pending', due_at = ?, queued_at = null, updated_at = ? where id = ? and status = 'failed'");

/** A page of notifications, newest first, and the count of all that match. */
export const notificationList = pagedList<NotificationRow, 'status' | 'appointmentId'>(COLUMNS, 'notifications n', { columns: ['n.id'], descending: true }, [
  ['status', 'n.status = ?'],
  ['appointmentId', 'n.appointment_id = ?'],
]);

/**
 * Finished rows (sent, or dropped as superseded) due before a cutoff, a bounded batch at a time
 * (Runner.deleteInBatches). Failed rows stay: they are the dead-letter queue, until an admin retries them.
 */
export const PRUNE_FINISHED = new Statement(
  "delete from notifications where id in (select id from notifications where status in ('sent', 'dropped') and due_at < ? limit ?)",
);

const UNREMINDED_FROM =
  "select a.id, a.client_id, a.staff_id, a.start_at, a.status, a.sequence, sv.reminder_lead_minutes from appointments a left join services sv on sv.id = a.service_id where a.status = 'scheduled' and a.start_at > ?";
const UNREMINDED_REST =
  " and not exists (select 1 from notifications n where n.appointment_id = a.id and n.kind = 'reminder' and n.sequence = a.sequence and n.lead_minutes = l.lead))" +
  ' and not exists (select 1 from appointment_changes c where c.appointment_id = a.id and c.processed_at is null)' +
  ' order by a.start_at, a.id limit ?';
/**
 * Scheduled appointments starting after now, by start, whose current version misses the reminder
 * of a lead time whose moment is still ahead of now, and with no change left to process (whose
 * reminders, recorded or carried over, would collide). Binds now, the deployment's lead times (a
 * list), now again, and the limit. The service's own lead times replace the deployment's here as
 * reminderLeadsFor says, since which rows qualify depends on them.
 */
export const UNREMINDED = new Statement<{
  readonly id: number;
  readonly client_id: number;
  readonly staff_id: number;
  readonly start_at: unknown;
  readonly status: AppointmentStatus;
  readonly sequence: number;
  readonly reminder_lead_minutes: readonly number[] | string | null;
}>(
  UNREMINDED_FROM +
    ' and exists (select 1 from (select value as lead from json_each(coalesce(sv.reminder_lead_minutes, ?))) l where a.start_at - l.lead * 60000 > ?' +
    UNREMINDED_REST,
  UNREMINDED_FROM +
    ' and exists (select 1 from (select value::int as lead from jsonb_array_elements(coalesce(sv.reminder_lead_minutes, to_jsonb(?::int[])))) l' +
    ' where a.start_at - make_interval(mins => l.lead) > ?' +
    UNREMINDED_REST,
);
