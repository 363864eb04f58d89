/** What computeSlots offers, validateBooking accepts: the two must never disagree. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarArb } from '../availability/testing.ts';
import { availabilityWindows } from '../availability/windows.ts';
import type { BookingRules, Interval } from '../scheduling/types.ts';
import { computeSlots } from '../slots/compute.ts';
import { bookingLimits, slotStepMs } from '../slots/rules.ts';
import { BASE, intervalArb } from '../slots/testing.ts';
import { wallClockToInstant } from '../time/convert.ts';
import { validateBooking } from './validate.ts';

const MIN = 60_000;

const rulesArb: fc.Arbitrary<BookingRules> = fc.record({
  bufferBeforeMinutes: fc.integer({ min: 0, max: 60 }),
  bufferAfterMinutes: fc.integer({ min: 0, max: 60 }),
  minNoticeMinutes: fc.integer({ min: 0, max: 24 * 60 }),
  maxAdvanceDays: fc.integer({ min: 0, max: 10 }),
  slotIntervalMinutes: fc.option(fc.constantFrom(5, 10, 15, 20, 30, 45, 60), { nil: null }),
  maxBookingsPerDay: fc.constant(null),
});

function offered(q: { windows: Interval[]; blocked: Interval[]; busy: Interval[]; rules: BookingRules; now: number; durationMs: number }) {
  return computeSlots({ windows: q.windows, blocked: q.blocked, busy: q.busy, durationMs: q.durationMs, stepMs: slotStepMs(q.rules, q.durationMs), ...bookingLimits(q.rules, q.now) });
}

describe('slots and booking agree', () => {
  it('every slot offered on a real calendar (DST days, several zones) can be booked', () => {
    const scenario = fc.record({
      cal: calendarArb,
      rules: rulesArb,
      durationMin: fc.constantFrom(15, 30, 45, 60, 90, 240),
      nowShiftMin: fc.integer({ min: -3 * 24 * 60, max: 24 * 60 }),
      busy: fc.array(fc.tuple(fc.integer({ min: -24 * 4, max: 7 * 24 * 4 }), fc.integer({ min: 1, max: 16 })), { maxLength: 12 }),
    });
    fc.assert(
      fc.property(scenario, ({ cal, rules, durationMin, nowShiftMin, busy: busyQ }) => {
        const { windows, blocked } = availabilityWindows(cal.rules, cal.zone, cal.from, cal.to);
        const dayStart = wallClockToInstant(cal.from, '00:00', cal.zone, 'start');
        const now = dayStart + nowShiftMin * MIN;
        const busy = busyQ.map(([q, len]) => ({ start: dayStart + q * 15 * MIN, end: dayStart + (q + len) * 15 * MIN }));
        const durationMs = durationMin * MIN;
        for (const slot of offered({ windows, blocked, busy, rules, now, durationMs })) {
          expect(validateBooking({ start: slot.start, end: slot.end, now, rules, minMinutes: 5, windows, blocked, busy, clientBlocked: false })).toEqual({
            bufferedStart: slot.start - rules.bufferBeforeMinutes * MIN,
            bufferedEnd: slot.end + rules.bufferAfterMinutes * MIN,
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a grid start is offered exactly when it can be booked', () => {
    const scenario = fc.record({
      windows: fc.array(intervalArb(8 * 60), { minLength: 1, maxLength: 5 }),
      blocked: fc.array(intervalArb(3 * 60), { maxLength: 3 }),
      busy: fc.array(intervalArb(2 * 60), { maxLength: 8 }),
      rules: rulesArb,
      durationMin: fc.integer({ min: 1, max: 24 }).map((n) => n * 5),
      nowMin: fc.integer({ min: -24 * 60, max: 36 * 60 }),
      pick: fc.nat(),
      stepIndex: fc.nat({ max: 200 }),
    });
    fc.assert(
      fc.property(scenario, ({ windows: raw, blocked, busy, rules, durationMin, nowMin, pick, stepIndex }) => {
        const windows = availabilityLike(raw);
        const now = BASE + nowMin * MIN;
        const durationMs = durationMin * MIN;
        const w = windows[pick % windows.length]!;
        const start = w.start + stepIndex * slotStepMs(rules, durationMs);
        fc.pre(start + durationMs <= w.end);
        const slot = { start, end: start + durationMs };
        const isOffered = offered({ windows, blocked, busy, rules, now, durationMs }).some((s) => s.start === start);
        let bookable = true;
        try {
          validateBooking({ ...slot, now, rules, minMinutes: 5, windows, blocked, busy, clientBlocked: false });
        } catch {
          bookable = false;
        }
        expect(isOffered).toBe(bookable);
      }),
      { numRuns: 1000 },
    );
  });
});

// Windows as availabilityWindows hands them out: sorted and disjoint.
function availabilityLike(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, x.end) };
    else out.push(x);
  }
  return out;
}
