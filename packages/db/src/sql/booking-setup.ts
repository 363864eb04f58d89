import type { AvailabilityKind, AvailabilityRule } from '@appointments/domain';
import { Statement } from './statement.ts';
import { USER_COLUMNS, type UserRow } from './users.ts';

/** An availability row as a JSON array: kind, type, day_of_week, specific_date, start_time, end_time, start_at, end_at. */
export type RuleTuple = [AvailabilityKind, AvailabilityRule['type'], number | null, string | null, string | null, string | null, number | string | null, number | string | null];

export interface SetupRow extends UserRow {
  readonly buffer_before_minutes: number | null;
  readonly buffer_after_minutes: number | null;
  readonly min_notice_minutes: number | null;
  readonly max_advance_days: number | null;
  readonly slot_interval_minutes: number | null;
  readonly max_bookings_per_day: number | null;
  /** JSON text on SQLite, parsed already on PostgreSQL; null without rules. */
  readonly rules: string | RuleTuple[] | null;
  readonly setup_version: number;
}

const SETTINGS_COLUMNS = 'ss.buffer_before_minutes, ss.buffer_after_minutes, ss.min_notice_minutes, ss.max_advance_days, ss.slot_interval_minutes, ss.max_bookings_per_day';
const RULE_COLUMNS = 'a.kind, a.type, a.day_of_week, a.specific_date, a.start_time, a.end_time, a.start_at, a.end_at';
// The setup version in the same statement, so the same snapshot; no row yet reads 0.
const setup = (rules: string, which = 'u.id = ?') =>
  `select ${USER_COLUMNS}, ${SETTINGS_COLUMNS}, (${rules}) as rules,` +
  ' coalesce((select sv.setup_version from schedule_versions sv where sv.staff_id = u.id), 0) as setup_version' +
  ` from users u left join staff_settings ss on ss.staff_id = u.id where ${which}`;
const SQLITE_RULES = `select json_group_array(json_array(${RULE_COLUMNS}) order by a.id) from availability a where a.staff_id = u.id`;
const POSTGRESQL_RULES = `select json_agg(json_build_array(${RULE_COLUMNS}) order by a.id) from availability a where a.staff_id = u.id`;

/**
 * A staff member's booking setup in one round trip: every booking and reschedule reads the user,
 * their settings and availability rules (oldest first). Through the ORM, hydrating each
 * availability row cost more than the SQL, and on PostgreSQL every further round trip costs more
 * than the SQL does.
 */
export const BOOKING_SETUP = new Statement<SetupRow>(setup(SQLITE_RULES), setup(POSTGRESQL_RULES));

/** The setups of several staff members (ids as a list) in one round trip: the candidates of a booking by service. */
export const BOOKING_SETUPS = new Statement<SetupRow>(
  setup(SQLITE_RULES, 'u.id in (select value from json_each(?)) order by u.id'),
  setup(POSTGRESQL_RULES, 'u.id = any(?::int[]) order by u.id'),
);
