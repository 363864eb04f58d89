/**
 * Whether a requested appointment may be booked. Checks run in a fixed order and the first failure
 * is thrown, so a client learns the most basic problem first. The slot grid is not enforced: any
 * start that satisfies the rules is bookable, and every offered slot satisfies them.
 */
import { DomainError } from '../errors.ts';
import { normalizeIntervals, overlaps } from '../scheduling/intervals.ts';
import { MAX_APPOINTMENT_MINUTES, type BookingRules, type Instant, type Interval } from '../scheduling/types.ts';
import { bookingLimits } from '../slots/rules.ts';
import { isWholeMinute, MINUTE_MS } from '../time/calendar.ts';
import { formatInstant } from '../time/convert.ts';

export interface BookingRequest {
  readonly start: Instant;
  readonly end: Instant;
  readonly now: Instant;
  readonly rules: BookingRules;
  /** The shortest appointment, in minutes (MIN_APPOINTMENT_MINUTES; the same for every staff member). */
  readonly minMinutes: number;
  /** As availabilityWindows returns them for the dates the appointment touches. */
  readonly windows: readonly Interval[];
  readonly blocked: readonly Interval[];
  /** Buffered intervals of the staff member's other scheduled appointments. */
  readonly busy: readonly Interval[];
  readonly clientBlocked: boolean;
}

export interface BufferedInterval {
  readonly bufferedStart: Instant;
  readonly bufferedEnd: Instant;
}

/**
 * How long an appointment may last: at least `minMinutes`, at most MAX_APPOINTMENT_MINUTES. Also
 * for slot durations, so that no slot is offered that booking would refuse.
 */
export function assertAppointmentLength(durationMs: number, minMinutes: number): void {
  if (durationMs < minMinutes * MINUTE_MS) {
    throw new DomainError('APPOINTMENT.TOO_SHORT', `An appointment lasts at least ${minMinutes} minutes`, { min_minutes: minMinutes });
  }
  if (durationMs > MAX_APPOINTMENT_MINUTES * MINUTE_MS) {
    throw new DomainError('APPOINTMENT.TOO_LONG', `An appointment lasts at most ${MAX_APPOINTMENT_MINUTES} minutes`, { max_minutes: MAX_APPOINTMENT_MINUTES });
  }
}

/**
 * The checks that need nothing but the two instants. Callers run them before loading windows
 * around the interval: an interval spanning centuries must be refused, not expanded day by day.
 * Times fall on whole minutes: exports (iCalendar, to the second) and emails (to the minute) would
 * otherwise show another time than is stored.
 */
export function assertBookingInterval(start: Instant, end: Instant, minMinutes: number): void {
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
    throw new DomainError('APPOINTMENT.INVALID_RANGE', 'The appointment must end after it starts');
  }
  const offMinute = [start, end].find((instant) => !isWholeMinute(instant));
  if (offMinute !== undefined) {
    throw new DomainError('APPOINTMENT.TIME_NOT_WHOLE_MINUTE', `Appointment times must be whole minutes (no seconds or fractions): got ${formatInstant(offMinute)}`, {
      time: formatInstant(offMinute),
    });
  }
  assertAppointmentLength(end - start, minMinutes);
}

/** Throws the first rule the request breaks; otherwise returns the buffered interval to store. */
export function validateBooking(req: BookingRequest): BufferedInterval {
  const { start, end, now, rules } = req;
  if (req.clientBlocked) {
    throw new DomainError('APPOINTMENT.CLIENT_BLOCKED', 'This client is blocked from booking (too many no-shows); an admin can unblock them');
  }
  assertBookingInterval(start, end, req.minMinutes);
  const limits = bookingLimits(rules, now);
  if (start < limits.earliestStart) {
    throw start < now
      ? new DomainError('APPOINTMENT.TOO_SOON', 'The appointment starts in the past')
      : new DomainError('APPOINTMENT.TOO_SOON', `Appointments must be booked at least ${rules.minNoticeMinutes} minutes in advance`, {
          min_notice_minutes: rules.minNoticeMinutes,
        });
  }
  if (start > limits.latestStart) {
    throw new DomainError('APPOINTMENT.BEYOND_HORIZON', `Appointments can be booked at most ${rules.maxAdvanceDays} days in advance`, {
      max_advance_days: rules.maxAdvanceDays,
    });
  }
  const wanted = { start, end };
  // Merged like computeSlots merges them, so touching windows count as one.
  const inWindow = normalizeIntervals(req.windows).some((w) => w.start <= start && end <= w.end);
  if (!inWindow) {
    throw new DomainError('APPOINTMENT.OUTSIDE_AVAILABILITY', "The appointment is not within the staff member's available hours");
  }
  if (req.blocked.some((b) => overlaps(b, wanted))) {
    throw new DomainError('APPOINTMENT.OUTSIDE_AVAILABILITY', 'The staff member is unavailable during part of this time');
  }
  const buffered = { start: start - limits.bufferBeforeMs, end: end + limits.bufferAfterMs };
  if (req.busy.some((b) => overlaps(b, buffered))) {
    throw new DomainError('APPOINTMENT.SLOT_TAKEN', 'This time is already booked (including buffers between appointments)');
  }
  return { bufferedStart: buffered.start, bufferedEnd: buffered.end };
}
