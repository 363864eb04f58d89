import { addDays, assertBookingInterval, availabilityWindows, localDate, resolveBookingRules, validateBooking, type User } from '@appointments/domain';
import type { Repositories } from '@appointments/db';
import type { Services } from '../../context.ts';

export interface BookableQuery {
  readonly staff: User;
  readonly start: number;
  readonly end: number;
  readonly clientBlocked: boolean;
  readonly now: number;
}

/**
 * Loads what the booking rules need (the staff member's rules, windows around the interval) and
 * applies them; returns the buffered interval to store. Booking and rescheduling both come through
 * here, so they can never disagree. Other appointments are not read: the write that follows is
 * refused by the database's own overlap guard (SQLite triggers, PostgreSQL's exclusion constraint)
 * with the same APPOINTMENT.SLOT_TAKEN, and that guard is the last word in a race anyway.
 */
export async function checkBookable(repos: Repositories, services: Services, query: BookableQuery) {
  const { staff, start, end } = query;
  assertBookingInterval(start, end); // before expanding windows around it
  const { overrides, rules } = await repos.appointments.bookingSetup(staff.id);
  const booking = resolveBookingRules(overrides, services.settings.bookingDefaults);
  // Windows of the local dates the interval touches (a day either side covers overnight windows).
  const { windows, blocked } = availabilityWindows(rules, staff.timezone, addDays(localDate(start, staff.timezone), -1), addDays(localDate(end, staff.timezone), 1));
  return validateBooking({ start, end, now: query.now, rules: booking, windows, blocked, busy: [], clientBlocked: query.clientBlocked });
}
