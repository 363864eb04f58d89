import { describe, expect, it } from 'vitest';
import type { BookingRuleOverrides, BookingRules } from '../scheduling/types.ts';
import { bookingLimits, resolveBookingRules, slotStepMs } from './rules.ts';

const defaults: BookingRules = { bufferBeforeMinutes: 5, bufferAfterMinutes: 10, minNoticeMinutes: 60, maxAdvanceDays: 30, slotIntervalMinutes: null, maxBookingsPerDay: null };
const none: BookingRuleOverrides = { bufferBeforeMinutes: null, bufferAfterMinutes: null, minNoticeMinutes: null, maxAdvanceDays: null, slotIntervalMinutes: null, maxBookingsPerDay: null };

describe('booking rules', () => {
  it.each<[Partial<BookingRuleOverrides>, BookingRules]>([
    [{}, defaults],
    [{ bufferBeforeMinutes: 0 }, { ...defaults, bufferBeforeMinutes: 0 }], // 0 is a setting, not "unset"
    [{ minNoticeMinutes: 0, maxAdvanceDays: 7, slotIntervalMinutes: 15 }, { ...defaults, minNoticeMinutes: 0, maxAdvanceDays: 7, slotIntervalMinutes: 15 }],
    [{ bufferAfterMinutes: 20 }, { ...defaults, bufferAfterMinutes: 20 }],
  ])('resolves overrides %j over the defaults', (set, expected) => {
    expect(resolveBookingRules({ ...none, ...set }, defaults)).toEqual(expected);
  });

  it('derives the limits both slots and booking use', () => {
    expect(bookingLimits(defaults, 1_000)).toEqual({
      earliestStart: 1_000 + 3_600_000,
      latestStart: 1_000 + 30 * 86_400_000,
      bufferBeforeMs: 300_000,
      bufferAfterMs: 600_000,
    });
  });

  it('steps by the configured interval, else by the duration', () => {
    expect(slotStepMs(defaults, 45 * 60_000)).toBe(45 * 60_000);
    expect(slotStepMs({ ...defaults, slotIntervalMinutes: 15 }, 45 * 60_000)).toBe(15 * 60_000);
  });
});
