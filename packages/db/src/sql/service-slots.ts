import { Statement } from './statement.ts';

export interface ServiceSlotStateRow {
  readonly duration_minutes: number;
  readonly buffer_before_minutes: number | null;
  readonly buffer_after_minutes: number | null;
  readonly capacity: number;
  /** 0/1 on SQLite. */
  readonly is_active: boolean | number;
  /** `staff id:schedule version` of each staff member offering it (only the one asked for, if any), by id, comma-separated; null for none. */
  readonly staff: string | null;
}

const STATE = (staff: string) =>
  `select s.duration_minutes, s.buffer_before_minutes, s.buffer_after_minutes, s.capacity, s.is_active, (${staff}) as staff from services s where s.id = ?`;
const OFFERING = 'from service_staff os left join schedule_versions sv on sv.staff_id = os.staff_id where os.service_id = s.id and os.staff_id = coalesce(?, os.staff_id)';

/**
 * What a service's slots depend on, read on every slots-by-service request: the service's fields
 * that shape its slots and the schedule version of every staff member offering it. Values: one
 * staff id to keep (or null for all), the service id.
 */
export const SERVICE_SLOT_STATE = new Statement<ServiceSlotStateRow>(
  STATE(`select group_concat(os.staff_id || ':' || coalesce(sv.version, 0), ',' order by os.staff_id) ${OFFERING}`),
  STATE(`select string_agg(os.staff_id || ':' || coalesce(sv.version, 0), ',' order by os.staff_id) ${OFFERING}`),
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
