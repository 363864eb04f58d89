import { availabilityWindows } from '../availability/windows.ts';
import { assertStaff } from '../scheduling/access.ts';
import type { AvailabilityRule, BookingRuleOverrides, BookingRules, Instant } from '../scheduling/types.ts';
import { resolveBookingRules } from '../slots/rules.ts';
import { addDays } from '../time/calendar.ts';
import { localDate, parseRequestDateTime } from '../time/convert.ts';
import type { User } from '../users/user.ts';
import { assertBookingInterval, validateBooking } from './validate.ts';

/** A staff member's setup as stored: the user (null if none), their rule overrides and availability rules. */
export interface StoredSetup {
  readonly staff: User | null;
  readonly overrides: BookingRuleOverrides;
  readonly rules: readonly AvailabilityRule[];
}

/** What slots and bookings of a staff member are judged by: their effective booking rules and availability. */
export interface StaffSchedule {
  readonly booking: BookingRules;
  readonly rules: readonly AvailabilityRule[];
}

/** The staff member a request names (as assertStaff judges it) and their schedule, from their stored setup. */
export function staffSchedule(setup: StoredSetup, defaults: BookingRules, staffId: number, viewer: Pick<User, 'role'> | null): { staff: User; schedule: StaffSchedule } {
  const { staff, overrides, rules } = setup;
  assertStaff(staff, staffId, viewer);
  return { staff, schedule: { booking: resolveBookingRules(overrides, defaults), rules } };
}

export interface BookableQuery {
  readonly staff: User;
  readonly schedule: StaffSchedule;
  /** As the request sent them: with an offset, or wall-clock time in the staff member's zone. */
  readonly start: string;
  readonly end: string;
  readonly clientBlocked: boolean;
  readonly now: Instant;
  /** MIN_APPOINTMENT_MINUTES. */
  readonly minMinutes: number;
}

/** An interval a booking may take, with what the database guards it by. */
export interface BookableInterval {
  readonly start: Instant;
  readonly end: Instant;
  readonly bufferedStart: Instant;
  readonly bufferedEnd: Instant;
  /** The staff member's local date of the start (the day a daily cap counts it on). */
  readonly localDate: string;
}

/**
 * Reads the requested interval in the staff member's zone and applies the booking rules to it,
 * given their schedule; returns the interval and its buffered interval to store. Booking and rescheduling both come through here, so they can never disagree.
 * Other appointments are not read: the write that follows is refused by the database's own overlap
 * guard with the same APPOINTMENT.SLOT_TAKEN, and that guard is the last word in a race anyway.
 */
export function checkBookable(query: BookableQuery): BookableInterval {
  const { staff, minMinutes } = query;
  const start = parseRequestDateTime(query.start, staff.timezone);
  const end = parseRequestDateTime(query.end, staff.timezone);
  const { booking, rules } = query.schedule;
  assertBookingInterval(start, end, minMinutes); // before expanding windows around it
  // Windows of the local dates the interval touches (a day either side covers overnight windows).
  const day = localDate(start, staff.timezone);
  const { windows, blocked } = availabilityWindows(rules, staff.timezone, addDays(day, -1), addDays(localDate(end, staff.timezone), 1));
  return { start, end, localDate: day, ...validateBooking({ start, end, now: query.now, rules: booking, minMinutes, windows, blocked, busy: [], clientBlocked: query.clientBlocked }) };
}
