/** Booking rules turned into the numbers the slot sweep and booking validation share. */
import type { BookingRuleOverrides, BookingRules, Instant } from '../scheduling/types.ts';
import { DAY_MS, MINUTE_MS } from '../time/calendar.ts';

/** A staff member's rules: each override that is set wins over the configured default. */
export function resolveBookingRules(overrides: BookingRuleOverrides, defaults: BookingRules): BookingRules {
  return {
    bufferBeforeMinutes: overrides.bufferBeforeMinutes ?? defaults.bufferBeforeMinutes,
    bufferAfterMinutes: overrides.bufferAfterMinutes ?? defaults.bufferAfterMinutes,
    minNoticeMinutes: overrides.minNoticeMinutes ?? defaults.minNoticeMinutes,
    maxAdvanceDays: overrides.maxAdvanceDays ?? defaults.maxAdvanceDays,
    slotIntervalMinutes: overrides.slotIntervalMinutes ?? defaults.slotIntervalMinutes,
    maxBookingsPerDay: overrides.maxBookingsPerDay ?? defaults.maxBookingsPerDay,
  };
}

export interface BookingLimits {
  /** Earliest allowed start: now + minimum notice. */
  readonly earliestStart: Instant;
  /** Latest allowed start: now + maximum advance. */
  readonly latestStart: Instant;
  readonly bufferBeforeMs: number;
  readonly bufferAfterMs: number;
}

/** One derivation for both computeSlots and validateBooking, so what is offered can be booked. */
export function bookingLimits(rules: BookingRules, now: Instant): BookingLimits {
  return {
    earliestStart: now + rules.minNoticeMinutes * MINUTE_MS,
    latestStart: now + rules.maxAdvanceDays * DAY_MS,
    bufferBeforeMs: rules.bufferBeforeMinutes * MINUTE_MS,
    bufferAfterMs: rules.bufferAfterMinutes * MINUTE_MS,
  };
}

/** Distance between candidate starts: the configured interval, else the slot's own duration. */
export function slotStepMs(rules: BookingRules, durationMs: number): number {
  return rules.slotIntervalMinutes === null ? durationMs : rules.slotIntervalMinutes * MINUTE_MS;
}
