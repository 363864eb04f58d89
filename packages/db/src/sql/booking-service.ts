import { Statement } from './statement.ts';

export interface BookedServiceRow {
  readonly id: number;
  readonly duration_minutes: number;
  readonly capacity: number;
  readonly buffer_before_minutes: number | null;
  readonly buffer_after_minutes: number | null;
  /** 0/1 on SQLite. */
  readonly is_active: boolean | number;
  /** JSON text on SQLite, parsed already on PostgreSQL; null when nobody offers it. */
  readonly staff_ids: string | number[] | null;
}

const service = (staffIds: string) =>
  `select s.id, s.duration_minutes, s.capacity, s.buffer_before_minutes, s.buffer_after_minutes, s.is_active, (${staffIds}) as staff_ids from services s where s.id = ?`;

/** What booking a service needs of it, and who offers it (ascending), in one round trip. */
export const BOOKED_SERVICE = new Statement<BookedServiceRow>(
  service('select json_group_array(ss.staff_id order by ss.staff_id) from service_staff ss where ss.service_id = s.id'),
  service('select json_agg(ss.staff_id order by ss.staff_id) from service_staff ss where ss.service_id = s.id'),
);

/**
 * Scheduled appointments of each staff member on their local date, for pairs given as two lists
 * of equal length (staff ids, dates), in one round trip whatever the number of candidates; each
 * count is one range of the (staff_id, local_date) index.
 */
export const BOOKED_ON_DAYS = new Statement<{ readonly staff_id: number; readonly booked: number | string }>(
  "select s.value as staff_id, (select count(*) from appointments a where a.staff_id = s.value and a.local_date = d.value and a.status = 'scheduled') as booked" +
    ' from json_each(?) s join json_each(?) d on d.key = s.key',
  "select d.staff_id, (select count(*) from appointments a where a.staff_id = d.staff_id and a.local_date = d.local_date and a.status = 'scheduled') as booked" +
    ' from unnest(?::int[], ?::text[]) as d(staff_id, local_date)',
);
