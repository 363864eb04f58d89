import { MAX_BUFFERED_SPAN_MS, type AppointmentStatus } from '@appointments/domain';
import type { AppointmentChanges, AppointmentFilter, NewAppointment } from '../appointments/appointment.ts';
import type { DatabaseTarget } from '../database-url.ts';
import { datetime } from '../runner/index.ts';
import { optionalClauses, pagedList } from './clauses.ts';
import { Statement, statementsBy, type Query } from './statement.ts';

export interface AppointmentRow {
  readonly id: number;
  readonly client_id: number;
  readonly staff_id: number;
  readonly start_at: unknown;
  readonly end_at: unknown;
  readonly buffered_start: unknown;
  readonly buffered_end: unknown;
  readonly notes: string | null;
  readonly status: AppointmentStatus;
  readonly sequence: number;
  /** 0/1 on SQLite. */
  readonly client_overlap_allowed: boolean | number;
  readonly service_id: number | null;
  readonly occurrence: string | null;
  /** Set by every write; null only on rows the backfill could not date (none). */
  readonly local_date: string;
  readonly created_at: unknown;
  readonly updated_at: unknown;
  readonly staff_name: string;
  readonly client_name: string;
}

/** Its parties' names by primary key, read in the same statement (appointments unaliased): every answer shows them. */
const NAMES =
  '(select u.full_name from users u where u.id = appointments.staff_id) as staff_name, (select u.full_name from users u where u.id = appointments.client_id) as client_name';

const COLUMNS =
  'id, client_id, staff_id, start_at, end_at, buffered_start, buffered_end, notes, status, sequence, client_overlap_allowed, service_id, occurrence, local_date, created_at, updated_at, ' +
  NAMES;

/** The columns every insert of an appointment lists, in newAppointmentValues' order, then status and sequence (literals). */
export const NEW_APPOINTMENT_COLUMNS =
  'client_id, staff_id, start_at, end_at, buffered_start, buffered_end, notes, client_overlap_allowed, service_id, occurrence, local_date, created_at, updated_at, status, sequence';

/** A new appointment's values, in NEW_APPOINTMENT_COLUMNS' order. */
export const newAppointmentValues = (a: NewAppointment & { readonly localDate: string }, now: Date): unknown[] => [
  a.clientId,
  a.staffId,
  new Date(a.start),
  new Date(a.end),
  new Date(a.bufferedStart),
  new Date(a.bufferedEnd),
  a.notes,
  a.clientOverlapAllowed ?? false,
  a.serviceId ?? null,
  a.occurrence ?? null,
  a.localDate,
  now,
  now,
];

/** An appointment alone: no history entry, no change recorded (seeds and tests). Bookings are booking.<engine>.ts. */
export const INSERT_APPOINTMENT = new Statement<{ readonly id: number }>(
  `insert into appointments (${NEW_APPOINTMENT_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0) returning id`,
);

/** The staff member's zone, which an appointment's local date is read in. */
export const STAFF_TIMEZONE = new Statement<{ readonly timezone: string }>('select timezone from users where id = ?');

/** Values: staff id, client id. The names of a new appointment's parties, which a booking's write does not return. */
/** A booking's answer: the new appointment's id and its parties' names. */
export interface BookedRow {
  readonly id: number;
  readonly staff_name: string;
  readonly client_name: string;
}

export const PARTY_NAMES = new Statement<Omit<BookedRow, 'id'>>(
  'select (select full_name from users where id = ?) as staff_name, (select full_name from users where id = ?) as client_name',
);

export const APPOINTMENT_BY_ID = new Statement<AppointmentRow>(`select ${COLUMNS} from appointments where id = ?`);

/** Values: the ids, as a list. */
export const APPOINTMENTS_BY_IDS = new Statement<AppointmentRow>(
  `select ${COLUMNS} from appointments where id in (select value from json_each(?))`,
  `select ${COLUMNS} from appointments where id = any(?::int[])`,
);

/** Values: staff id, the window's start less MAX_BUFFERED_SPAN_MS, its end, its start (AppointmentRepository.busyIntervals). */
export const BUSY_INTERVALS = new Statement<{ readonly buffered_start: unknown; readonly buffered_end: unknown }>(
  "select buffered_start, buffered_end from appointments where staff_id = ? and status = 'scheduled'" +
    ' and buffered_start > ? and buffered_start < ? and buffered_end > ? order by buffered_start',
);

const listOf = pagedList<AppointmentRow, 'clientId' | 'staffId' | 'status' | 'from' | 'startsAfter' | 'to'>(
  COLUMNS,
  'appointments',
  { columns: ['start_at', 'id'] },
  [
    ['clientId', 'client_id = ?'],
    ['staffId', 'staff_id = ?'],
    ['status', 'status = ?'],
    ['from', 'end_at > ?'],
    // Implied by `from` (no appointment is longer than MAX_BUFFERED_SPAN_MS): a bound on the index's start_at.
    ['startsAfter', 'start_at > ?'],
    ['to', 'start_at < ?'],
  ],
);

/**
 * A page of appointments by start, then id (after `after`: [start, id] of the last one read);
 * `from`/`to` keep those intersecting [from, to).
 */
export const appointmentList = (filter: AppointmentFilter) =>
  listOf.page({
    ...filter,
    from: datetime(filter.from),
    startsAfter: filter.from === undefined ? undefined : new Date(filter.from - MAX_BUFFERED_SPAN_MS),
    to: datetime(filter.to),
    after: filter.after && [new Date(filter.after[0]), filter.after[1]],
  });

/** The columns a change may set, by AppointmentChanges' fields. */
const CHANGES = optionalClauses([
  ['start', 'start_at = ?'],
  ['end', 'end_at = ?'],
  ['bufferedStart', 'buffered_start = ?'],
  ['bufferedEnd', 'buffered_end = ?'],
  ['notes', 'notes = ?'],
  ['status', 'status = ?'],
  ['sequence', 'sequence = ?'],
  ['clientOverlapAllowed', 'client_overlap_allowed = ?'],
  ['staffId', 'staff_id = ?'],
  ['occurrence', 'occurrence = ?'],
  ['localDate', 'local_date = ?'],
]);

/**
 * The update of one appointment, made only while it is in the status and at the version it was
 * read at and, guarded, while the staff member's setup version is the one it was judged by.
 * PostgreSQL reads that version under the row lock every booking's trigger takes before its insert
 * (FOR NO KEY UPDATE), and takes it unguarded too (see AppointmentRepository.transition); no row
 * yet reads 0. SQLite takes its write lock before it reads.
 */
const transitions = (postgresql: boolean, guarded: boolean) =>
  statementsBy((changed: number) => {
    const set = ['updated_at = ?', ...CHANGES.clauses(changed)].join(', ');
    // PostgreSQL locks the version rows of the staff member judged by and of the one the appointment
    // is with (the same one, unless it moves), in id order, as the trigger that bumps them would:
    // two moves in opposite directions between two staff members then wait, never deadlock.
    // Values: the staff member judged by, twice, then the appointment's id.
    const version = postgresql
      ? 'coalesce((select max(case when sv.staff_id = ? then sv.setup_version end) from (select sv.staff_id, sv.setup_version from schedule_versions sv' +
        ' where sv.staff_id in (?, (select a.staff_id from appointments a where a.id = ?)) order by sv.staff_id for no key update) sv), 0)'
      : 'coalesce((select sv.setup_version from schedule_versions sv where sv.staff_id = ?), 0)';
    const versionGuard = guarded ? ` and ${version} = ?` : postgresql ? ` and ${version} >= 0` : '';
    return new Statement<AppointmentRow>(`update appointments set ${set} where id = ? and status = ? and sequence = ?${versionGuard} returning ${COLUMNS}`);
  });
const TRANSITION = {
  sqlite: [transitions(false, false), transitions(false, true)],
  postgresql: [transitions(true, false), transitions(true, true)],
};

/** The guarded update of one appointment; its values: updated_at, the changes given, then the guard's. */
export function appointmentTransition(
  dialect: DatabaseTarget['dialect'],
  guard: { readonly id: number; readonly staffId: number; readonly status: AppointmentStatus; readonly sequence: number; readonly setupVersion?: number },
  changes: AppointmentChanges,
  now: Date,
): Query<AppointmentRow> {
  const guarded = guard.setupVersion !== undefined;
  const locks = dialect === 'postgresql' ? [guard.staffId, guard.staffId, guard.id] : [guard.staffId];
  const version = guarded ? [...locks, guard.setupVersion] : dialect === 'postgresql' ? locks : [];
  const { start, end, bufferedStart, bufferedEnd } = changes;
  const columns = { ...changes, start: datetime(start), end: datetime(end), bufferedStart: datetime(bufferedStart), bufferedEnd: datetime(bufferedEnd) };
  return [TRANSITION[dialect][Number(guarded)]!(CHANGES.key(columns)), [now, ...CHANGES.values(columns), guard.id, guard.status, guard.sequence, ...version]];
}
