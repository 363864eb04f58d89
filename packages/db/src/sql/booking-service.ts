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
  /** With dates: [staff id, local date, scheduled appointments] of those who offer it, as staff_ids; null for none. */
  readonly booked?: string | [number, string, number][] | null;
}

const STAFF_IDS = ['json_group_array(ss.staff_id order by ss.staff_id)', 'json_agg(ss.staff_id order by ss.staff_id)'] as const;
// Each offering staff member's scheduled appointments per local date in a range: [staff id, date, n].
// PostgreSQL counts per staff member (lateral), so each count is a range of the (staff_id,
// local_date) index whatever plan a prepared statement settles on; SQLite's nested loop does so anyway.
const BOOKED = [
  'select json_group_array(json_array(a.staff_id, a.local_date, a.n)) from (select a.staff_id, a.local_date, count(*) as n' +
    " from service_staff ss join appointments a on a.staff_id = ss.staff_id where ss.service_id = s.id and a.local_date between ? and ? and a.status = 'scheduled'" +
    ' group by a.staff_id, a.local_date) a',
  'select json_agg(json_build_array(ss.staff_id, b.local_date, b.n)) from service_staff ss cross join lateral (select a.local_date, count(*) as n' +
    " from appointments a where a.staff_id = ss.staff_id and a.local_date between ? and ? and a.status = 'scheduled' group by a.local_date) b" +
    ' where ss.service_id = s.id',
] as const;
const service = (engine: 0 | 1, dated: boolean) =>
  `select s.id, s.duration_minutes, s.capacity, s.buffer_before_minutes, s.buffer_after_minutes, s.is_active,` +
  ` (select ${STAFF_IDS[engine]} from service_staff ss where ss.service_id = s.id) as staff_ids` +
  (dated ? `, (${BOOKED[engine]}) as booked` : '') +
  ' from services s where s.id = ?';

/** What booking a service needs of it, and who offers it (ascending), in one round trip. Values: its id. */
export const BOOKED_SERVICE = new Statement<BookedServiceRow>(service(0, false), service(1, false));

/**
 * BOOKED_SERVICE with each offering staff member's scheduled appointments per local date from one
 * date to another (values: those dates, then the id): assignment orders its candidates by them, so
 * one round trip serves both. Each count is a range of the (staff_id, local_date) index.
 */
export const BOOKED_SERVICE_WITH_DAYS = new Statement<BookedServiceRow>(service(0, true), service(1, true));

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
