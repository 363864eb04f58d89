import type { AvailabilityRule, BookingRuleOverrides, User } from '@appointments/domain';
import { ruleFromColumns } from '../availability/rule-columns.ts';
import { toInstantOrNull, type Runner } from '../runner/index.ts';
import { BOOKING_SETUP, BOOKING_SETUPS, type RuleTuple, type SetupRow } from '../sql/booking-setup.ts';
import { userFromRow } from '../users/user.row.ts';

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

const toRule = ([kind, type, dayOfWeek, specificDate, startTime, endTime, startAt, endAt]: RuleTuple) =>
  ruleFromColumns({ kind, type, dayOfWeek, specificDate, startTime, endTime, startAt: toInstantOrNull(startAt), endAt: toInstantOrNull(endAt) });

/** A staff member's booking setup, read as the users, staff-settings and availability repositories would give it. */
export async function readBookingSetup(sql: Runner, staffId: number): Promise<BookingSetup> {
  const [row] = (await sql.run(BOOKING_SETUP, [staffId])).rows;
  return toSetup(row);
}

/** The setups of `staffIds` in one read, by id; an id without a user reads as readBookingSetup gives it. */
export async function readBookingSetups(sql: Runner, staffIds: readonly number[]): Promise<Map<number, BookingSetup>> {
  if (staffIds.length === 0) return new Map();
  const { rows } = await sql.run(BOOKING_SETUPS, [staffIds]);
  const found = new Map(rows.map((row) => [row.id, toSetup(row)]));
  return new Map(staffIds.map((id) => [id, found.get(id) ?? toSetup(undefined)]));
}

function toSetup(row: SetupRow | undefined): BookingSetup {
  const rules = typeof row?.rules === 'string' ? (JSON.parse(row.rules) as RuleTuple[]) : (row?.rules ?? []);
  return {
    staff: row ? userFromRow(row) : null,
    overrides: {
      bufferBeforeMinutes: row?.buffer_before_minutes ?? null,
      bufferAfterMinutes: row?.buffer_after_minutes ?? null,
      minNoticeMinutes: row?.min_notice_minutes ?? null,
      maxAdvanceDays: row?.max_advance_days ?? null,
      slotIntervalMinutes: row?.slot_interval_minutes ?? null,
      maxBookingsPerDay: row?.max_bookings_per_day ?? null,
    },
    rules: rules.map(toRule),
    setupVersion: row ? Number(row.setup_version) : 0,
  };
}
