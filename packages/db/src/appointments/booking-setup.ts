import type { EntityManager } from '@mikro-orm/core';
import type { AvailabilityKind, AvailabilityRule, BookingRuleOverrides, User } from '@appointments/domain';
import { ruleFromColumns } from '../availability/availability.repository.ts';
import { execute, Statement, toDate } from '../raw-sql.ts';
import { USER_COLUMNS, userFromRow, type UserRow } from '../users/user.row.ts';

/** What booking with a staff member is checked against: the user, their overrides and availability rules. */
export interface BookingSetup {
  /** Null when no such user exists (whether they are staff is for the caller to judge). */
  readonly staff: User | null;
  readonly overrides: BookingRuleOverrides;
  /** Oldest first. */
  readonly rules: AvailabilityRule[];
  /** The staff member's setup version this was read at (schedule-version.entity.ts); 0 for no user. */
  readonly setupVersion: number;
}

/** An availability row as a JSON array: kind, type, day_of_week, specific_date, start_time, end_time, start_at, end_at. */
type RuleTuple = [AvailabilityKind, AvailabilityRule['type'], number | null, string | null, string | null, string | null, number | string | null, number | string | null];

interface SetupRow extends UserRow {
  readonly buffer_before_minutes: number | null;
  readonly buffer_after_minutes: number | null;
  readonly min_notice_minutes: number | null;
  readonly max_advance_days: number | null;
  readonly slot_interval_minutes: number | null;
  /** JSON text on SQLite, parsed already on PostgreSQL; null without rules. */
  readonly rules: string | RuleTuple[] | null;
  readonly setup_version: number;
}

/**
 * A staff member's setup version as SQL; no row yet reads 0. One statement with the setup, so one
 * snapshot. `lock` (PostgreSQL, in a write): read it under the row lock the write's trigger takes
 * anyway, so a setup change still committing is waited for and its version is the one compared.
 */
export const SETUP_VERSION_OF = (staffId: string, lock = false) =>
  `coalesce((select sv.setup_version from schedule_versions sv where sv.staff_id = ${staffId}${lock ? ' for no key update' : ''}), 0)`;
const SETTINGS_COLUMNS = 'ss.buffer_before_minutes, ss.buffer_after_minutes, ss.min_notice_minutes, ss.max_advance_days, ss.slot_interval_minutes';
const RULE_COLUMNS = 'a.kind, a.type, a.day_of_week, a.specific_date, a.start_time, a.end_time, a.start_at, a.end_at';
const setupSql = (rules: string) =>
  `select ${USER_COLUMNS}, ${SETTINGS_COLUMNS}, (${rules}) as rules, ${SETUP_VERSION_OF('u.id')} as setup_version` +
  ' from users u left join staff_settings ss on ss.staff_id = u.id where u.id = ?';

// One round trip, raw and prepared: every booking and reschedule reads all three. Through the ORM
// the settings and rules alone cost ~400 µs of CPU (hydrating each availability row), and on
// PostgreSQL every further round trip costs more than the SQL does.
const SETUP = new Statement<SetupRow>(
  setupSql(`select json_group_array(json_array(${RULE_COLUMNS}) order by a.id) from availability a where a.staff_id = u.id`),
  setupSql(`select json_agg(json_build_array(${RULE_COLUMNS}) order by a.id) from availability a where a.staff_id = u.id`),
);

const toMs = (value: number | string | null) => (value === null ? null : toDate(value).getTime());
const toRule = ([kind, type, dayOfWeek, specificDate, startTime, endTime, startAt, endAt]: RuleTuple) =>
  ruleFromColumns({ kind, type, dayOfWeek, specificDate, startTime, endTime, startAt: toMs(startAt), endAt: toMs(endAt) });

/** A staff member's booking setup, read as the users, staff-settings and availability repositories would give it. */
export async function readBookingSetup(em: EntityManager, staffId: number): Promise<BookingSetup> {
  const [row] = (await execute(em, SETUP, [staffId])).rows;
  const rules = typeof row?.rules === 'string' ? (JSON.parse(row.rules) as RuleTuple[]) : (row?.rules ?? []);
  return {
    staff: row ? userFromRow(row) : null,
    overrides: {
      bufferBeforeMinutes: row?.buffer_before_minutes ?? null,
      bufferAfterMinutes: row?.buffer_after_minutes ?? null,
      minNoticeMinutes: row?.min_notice_minutes ?? null,
      maxAdvanceDays: row?.max_advance_days ?? null,
      slotIntervalMinutes: row?.slot_interval_minutes ?? null,
    },
    rules: rules.map(toRule),
    setupVersion: row ? Number(row.setup_version) : 0,
  };
}
