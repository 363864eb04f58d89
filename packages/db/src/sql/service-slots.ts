import { Statement } from './statement.ts';

export interface ServiceSlotStateRow {
  readonly duration_minutes: number;
  readonly buffer_before_minutes: number | null;
  readonly buffer_after_minutes: number | null;
  readonly capacity: number;
  /** 0/1 on SQLite. */
  readonly is_active: boolean | number;
  readonly version: number;
  /** The sum of the offering staff members' schedule versions (only the one asked for, if any); null when nobody offers it. */
  readonly staff_versions: number | string | null;
}

/**
 * What a service's slots depend on, read on every slots-by-service request: its fields that shape
 * them, its version (moved by any change to it or to who offers it) and the sum of the schedule
 * versions of the staff members offering it. Values: one staff id to keep (or null for all), the service id.
 */
export const SERVICE_SLOT_STATE = new Statement<ServiceSlotStateRow>(
  'select s.duration_minutes, s.buffer_before_minutes, s.buffer_after_minutes, s.capacity, s.is_active, s.version,' +
    ' (select sum(coalesce(sv.version, 0)) from service_staff os left join schedule_versions sv on sv.staff_id = os.staff_id' +
    ' where os.service_id = s.id and os.staff_id = coalesce(?, os.staff_id)) as staff_versions from services s where s.id = ?',
);

/** The schedule version of each staff member offering a service (only the one asked for, if any), by id. Values: the service id, one staff id or null. */
export const OFFERING_VERSIONS = new Statement<{ readonly staff_id: number; readonly version: number }>(
  'select os.staff_id, coalesce(sv.version, 0) as version from service_staff os left join schedule_versions sv on sv.staff_id = os.staff_id' +
    ' where os.service_id = ? and os.staff_id = coalesce(?, os.staff_id) order by os.staff_id',
);

/** Values: staff ids (a list), then as BUSY_INTERVALS: the window's start less MAX_BUFFERED_SPAN_MS, its end, its start. */
export const BUSY_INTERVALS_OF_STAFF = new Statement<{ readonly staff_id: number; readonly buffered_start: unknown; readonly buffered_end: unknown; readonly occurrence: string | null }>(
  "select staff_id, buffered_start, buffered_end, occurrence from appointments where staff_id in (select value from json_each(?)) and status = 'scheduled'" +
    ' and buffered_start > ? and buffered_start < ? and buffered_end > ?',
  "select staff_id, buffered_start, buffered_end, occurrence from appointments where staff_id = any(?::int[]) and status = 'scheduled'" +
    ' and buffered_start > ? and buffered_start < ? and buffered_end > ?',
);

/** Scheduled appointments per staff member and local date, what a daily cap counts. Values: staff ids (a list), first and last date. */
export const BOOKINGS_BY_DATE = new Statement<{ readonly staff_id: number; readonly local_date: string; readonly bookings: number | string }>(
  "select staff_id, local_date, count(*) as bookings from appointments where staff_id in (select value from json_each(?)) and status = 'scheduled'" +
    ' and local_date >= ? and local_date <= ? group by staff_id, local_date',
  "select staff_id, local_date, count(*) as bookings from appointments where staff_id = any(?::int[]) and status = 'scheduled'" +
    ' and local_date >= ? and local_date <= ? group by staff_id, local_date',
);
