import { availabilityWindows } from '../availability/windows.ts';
import { assertStaff } from '../scheduling/access.ts';
import type { AvailabilityRule, BookingRuleOverrides, BookingRules, Instant } from '../scheduling/types.ts';
import { resolveBookingRules } from '../slots/rules.ts';
import { addDays } from '../time/calendar.ts';
import { localDate, parseRequestDateTime } from '../time/convert.ts';
import type { User } from '../users/user.ts';
import { occurrenceKey, rulesForService } from '../services/service.ts';
import { appointmentEnd, type BookedService } from './service-booking.ts';
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
  /** May be left out for a service: it lasts its duration. */
  readonly end: string | undefined;
  /** The service booked, if any: its duration fixes the end, its buffers replace the staff member's. */
  readonly service?: BookedService | null;
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
  /** The group occurrence it takes a seat of (occurrenceKey), null when one-to-one. */
  readonly occurrence: string | null;
}

/**
 * Reads the requested interval in the staff member's zone and applies the booking rules to it,
 * given their schedule; returns the interval and its buffered interval to store. Booking and rescheduling both come through here, so they can never disagree.
 * Other appointments are not read: the write that follows is refused by the database's own overlap
 * guard with the same APPOINTMENT.SLOT_TAKEN, and that guard is the last word in a race anyway.
 */
export function checkBookable(query: BookableQuery): BookableInterval {
  const { staff, minMinutes } = query;
  const service = query.service ?? null;
  const start = parseRequestDateTime(query.start, staff.timezone);
  const end = appointmentEnd(service, start, query.end === undefined ? undefined : parseRequestDateTime(query.end, staff.timezone));
  const booking = rulesForService(query.schedule.booking, service);
  const { rules } = query.schedule;
  assertBookingInterval(start, end, minMinutes); // before expanding windows around it
  // Windows of the local dates the interval touches (a day either side covers overnight windows).
  const day = localDate(start, staff.timezone);
  const { windows, blocked } = availabilityWindows(rules, staff.timezone, addDays(day, -1), addDays(localDate(end, staff.timezone), 1));
  const occurrence = occurrenceKey(service, start, end);
  return { start, end, localDate: day, occurrence, ...validateBooking({ start, end, now: query.now, rules: booking, minMinutes, windows, blocked, busy: [], clientBlocked: query.clientBlocked }) };
}
