import { addDays, assertBookingInterval, availabilityWindows, bookingLimits, localDate, validateBooking, type Interval, type User } from '@appointments/domain';
import type { Repositories } from '@appointments/db';
import type { Services } from '../../context.ts';
import { loadBookingSetup } from '../staff/booking-setup.ts';

export interface BookableQuery {
  readonly staff: User;
  readonly start: number;
  readonly end: number;
  readonly clientBlocked: boolean;
  readonly now: number;
  /** The buffered interval of the appointment being moved: it must not conflict with itself. */
  readonly moving?: Interval;
}

/**
 * Loads what the booking rules need (the staff member's rules, windows around the interval, the
 * busy time near it) and applies them; returns the buffered interval to store. Booking and
 * rescheduling both come through here, so they can never disagree.
 */
export async function checkBookable(repos: Repositories, services: Services, query: BookableQuery) {
  const { staff, start, end } = query;
  assertBookingInterval(start, end); // before expanding windows around it
  const { booking, rules } = await loadBookingSetup(repos, services.settings.bookingDefaults, staff.id);
  // Windows of the local dates the interval touches (a day either side covers overnight windows).
  const { windows, blocked } = availabilityWindows(rules, staff.timezone, addDays(localDate(start, staff.timezone), -1), addDays(localDate(end, staff.timezone), 1));
  const { bufferBeforeMs, bufferAfterMs } = bookingLimits(booking, query.now);
  const busy = await repos.appointments.busyIntervals(staff.id, start - bufferBeforeMs, end + bufferAfterMs);
  const moving = query.moving;
  const others = moving ? withoutOne(busy, moving) : busy;
  return validateBooking({ start, end, now: query.now, rules: booking, windows, blocked, busy: others, clientBlocked: query.clientBlocked });
}

function withoutOne(busy: readonly Interval[], own: Interval): Interval[] {
  const index = busy.findIndex((b) => b.start === own.start && b.end === own.end);
  return index < 0 ? [...busy] : [...busy.slice(0, index), ...busy.slice(index + 1)];
}
