import { addDays, assertBookingInterval, availabilityWindows, localDate, validateBooking, type User } from '@appointments/domain';
import type { BookingSetup } from '../staff/booking-setup.ts';

export interface BookableQuery {
  readonly staff: User;
  readonly setup: BookingSetup;
  readonly start: number;
  readonly end: number;
  readonly clientBlocked: boolean;
  readonly now: number;
  /** MIN_APPOINTMENT_MINUTES. */
  readonly minMinutes: number;
}

/**
 * Applies the booking rules to the interval, given the staff member's setup; returns the buffered
 * interval to store. Booking and rescheduling both come through here, so they can never disagree.
 * Other appointments are not read: the write that follows is refused by the database's own overlap
 * guard (SQLite triggers, PostgreSQL's exclusion constraint) with the same APPOINTMENT.SLOT_TAKEN,
 * and that guard is the last word in a race anyway.
 */
export function checkBookable(query: BookableQuery) {
  const { staff, start, end, minMinutes } = query;
  const { booking, rules } = query.setup;
  assertBookingInterval(start, end, minMinutes); // before expanding windows around it
  // Windows of the local dates the interval touches (a day either side covers overnight windows).
  const { windows, blocked } = availabilityWindows(rules, staff.timezone, addDays(localDate(start, staff.timezone), -1), addDays(localDate(end, staff.timezone), 1));
  return validateBooking({ start, end, now: query.now, rules: booking, minMinutes, windows, blocked, busy: [], clientBlocked: query.clientBlocked });
}
