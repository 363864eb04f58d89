import { addDays, assertBookingInterval, assertStaff, availabilityWindows, localDate, resolveBookingRules, validateBooking, type AvailabilityRule, type BookingRules, type User } from '@appointments/domain';
import type { Repositories } from '@appointments/db';

export interface BookableQuery {
  readonly staff: User;
  readonly setup: BookingSetup;
  readonly start: number;
  readonly end: number;
  readonly clientBlocked: boolean;
  readonly now: number;
}

export interface BookingSetup {
  readonly booking: BookingRules;
  readonly rules: readonly AvailabilityRule[];
}

/** The staff member a booking names (404 when unknown, 422 when not staff) and their setup, in one read. */
export async function loadStaffForBooking(repos: Repositories, defaults: BookingRules, staffId: number): Promise<{ staff: User; setup: BookingSetup }> {
  const { staff, overrides, rules } = await repos.appointments.bookingSetup(staffId);
  assertStaff(staff, staffId);
  return { staff, setup: { booking: resolveBookingRules(overrides, defaults), rules } };
}

/**
 * Applies the booking rules to the interval, given the staff member's setup; returns the buffered
 * interval to store. Booking and rescheduling both come through here, so they can never disagree.
 * Other appointments are not read: the write that follows is refused by the database's own overlap
 * guard (SQLite triggers, PostgreSQL's exclusion constraint) with the same APPOINTMENT.SLOT_TAKEN,
 * and that guard is the last word in a race anyway.
 */
export function checkBookable(query: BookableQuery) {
  const { staff, start, end } = query;
  const { booking, rules } = query.setup;
  assertBookingInterval(start, end); // before expanding windows around it
  // Windows of the local dates the interval touches (a day either side covers overnight windows).
  const { windows, blocked } = availabilityWindows(rules, staff.timezone, addDays(localDate(start, staff.timezone), -1), addDays(localDate(end, staff.timezone), 1));
  return validateBooking({ start, end, now: query.now, rules: booking, windows, blocked, busy: [], clientBlocked: query.clientBlocked });
}
