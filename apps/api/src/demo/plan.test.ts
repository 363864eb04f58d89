import { describe, expect, it } from 'vitest';
import { planDemo } from './plan.ts';

const DEFAULTS = { bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 0, maxAdvanceDays: 365, slotIntervalMinutes: null, maxBookingsPerDay: null };

describe('planDemo', () => {
  // 13-hour steps reach every hour of the day. Whatever the weekday, hour or DST season the seed runs in, the demo must still fit the staff's hours.
  it('fits every hour of a year, across weekdays and DST changes', () => {
    const start = Date.UTC(2026, 0, 1);
    for (let at = start; at < start + 366 * 86_400_000; at += 13 * 3_600_000) {
      const plan = planDemo(new Date(at), DEFAULTS, 5);
      expect(plan.now % 3_600_000).toBe(0);
      expect(plan.appointments).toHaveLength(27);
    }
  });

  it('says which appointment a configured default makes impossible', () => {
    expect(() => planDemo(new Date(Date.UTC(2026, 5, 1)), { ...DEFAULTS, maxAdvanceDays: 1 }, 5)).toThrow(/demo appointment of \w+ at .* cannot be booked: .*at most 1 days/);
  });
});
