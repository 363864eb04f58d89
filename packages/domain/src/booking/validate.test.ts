import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookingRules, Interval } from '../scheduling/types.ts';
import { validateBooking, type BookingRequest } from './validate.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-02-01T12:00:00Z');
const at = (iso: string) => Date.parse(`2026-02-02T${iso}:00Z`);
const iv = (a: string, b: string): Interval => ({ start: at(a), end: at(b) });
const rules: BookingRules = { bufferBeforeMinutes: 10, bufferAfterMinutes: 15, minNoticeMinutes: 60, maxAdvanceDays: 30, slotIntervalMinutes: null, maxBookingsPerDay: null };

const ok: BookingRequest = {
  start: at('10:00'),
  end: at('10:30'),
  now: NOW,
  rules,
  minMinutes: 5,
  windows: [iv('09:00', '12:00'), iv('13:00', '17:00')],
  blocked: [iv('15:00', '16:00')],
  busy: [iv('11:00', '11:30')],
  clientBlocked: false,
};

describe('validateBooking', () => {
  it('returns the interval widened by the buffers', () => {
    expect(validateBooking(ok)).toEqual({ bufferedStart: at('09:50'), bufferedEnd: at('10:45') });
  });

  it.each<[string, Partial<BookingRequest>]>([
    ['off the slot grid', { start: at('09:07'), end: at('09:52') }],
    ['exactly filling a window', { start: at('13:00'), end: at('15:00') }],
    ['with buffers touching a busy interval', { start: at('10:20'), end: at('10:45') }],
    ['at exactly the minimum notice', { now: at('09:00'), start: at('10:00'), end: at('10:30') }],
    ['at exactly the horizon', { now: at('10:00') - 30 * DAY }],
    ['right after a blocked interval', { start: at('16:00'), end: at('17:00') }],
    ['across touching windows', { windows: [iv('09:00', '10:15'), iv('10:15', '12:00')] }],
    ['of exactly the minimum length', { end: at('10:05') }],
    ['of one minute when that is the minimum', { end: at('10:01'), minMinutes: 1 }],
  ])('accepts a booking %s', (_, change) => {
    expect(() => validateBooking({ ...ok, ...change })).not.toThrow();
  });

  it.each<[string, Partial<BookingRequest>, string, RegExp]>([
    ['a blocked client', { clientBlocked: true }, 'APPOINTMENT.CLIENT_BLOCKED', /blocked/],
    ['an end before the start', { end: at('09:59') }, 'APPOINTMENT.INVALID_RANGE', /end after it starts/],
    ['an empty interval', { end: at('10:00') }, 'APPOINTMENT.INVALID_RANGE', /end after it starts/],
    ['a day and a minute', { end: at('10:01') + DAY }, 'APPOINTMENT.TOO_LONG', /at most 1440 minutes/],
    ['one millisecond', { start: at('10:00'), end: at('10:00') + 1 }, 'APPOINTMENT.TIME_NOT_WHOLE_MINUTE', /whole minutes.*10:00:00\.001Z/],
    ['a start with a fraction of a second', { start: at('10:00') + 123 }, 'APPOINTMENT.TIME_NOT_WHOLE_MINUTE', /10:00:00\.123Z/],
    ['an end with seconds', { end: at('10:30') + 30_000 }, 'APPOINTMENT.TIME_NOT_WHOLE_MINUTE', /10:30:30\.000Z/],
    ['four minutes', { end: at('10:04') }, 'APPOINTMENT.TOO_SHORT', /at least 5 minutes/],
    ['less than a configured minimum', { end: at('10:30'), minMinutes: 45 }, 'APPOINTMENT.TOO_SHORT', /at least 45 minutes/],
    ['a start in the past', { now: at('10:01') }, 'APPOINTMENT.TOO_SOON', /in the past/],
    ['too little notice', { now: at('09:01') }, 'APPOINTMENT.TOO_SOON', /at least 60 minutes in advance/],
    ['a start beyond the horizon', { now: at('10:00') - 30 * DAY - 1 }, 'APPOINTMENT.BEYOND_HORIZON', /at most 30 days in advance/],
    ['a start before the window', { start: at('08:59') }, 'APPOINTMENT.OUTSIDE_AVAILABILITY', /available hours/],
    ['an end after the window', { start: at('11:45'), end: at('12:01') }, 'APPOINTMENT.OUTSIDE_AVAILABILITY', /available hours/],
    ['spanning the lunch gap', { start: at('11:45'), end: at('13:15') }, 'APPOINTMENT.OUTSIDE_AVAILABILITY', /available hours/],
    ['no windows at all', { windows: [] }, 'APPOINTMENT.OUTSIDE_AVAILABILITY', /available hours/],
    ['a blocked minute', { start: at('14:00'), end: at('15:01') }, 'APPOINTMENT.OUTSIDE_AVAILABILITY', /unavailable/],
    ['an overlap with a booking', { start: at('10:30'), end: at('11:01') }, 'APPOINTMENT.SLOT_TAKEN', /already booked/],
    ['its buffer before over a booking', { start: at('11:39'), end: at('11:50') }, 'APPOINTMENT.SLOT_TAKEN', /already booked/],
    ['its buffer after over a booking', { start: at('10:00'), end: at('10:46') }, 'APPOINTMENT.SLOT_TAKEN', /already booked/],
  ])('refuses %s', (_, change, code, message) => {
    expect(() => validateBooking({ ...ok, ...change })).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });

  it.each<[string, Partial<BookingRequest>, string]>([
    ['client blocked before anything else', { clientBlocked: true, end: at('09:00'), now: at('23:00'), windows: [] }, 'APPOINTMENT.CLIENT_BLOCKED'],
    ['range before length and notice', { end: at('09:00'), now: at('23:00') }, 'APPOINTMENT.INVALID_RANGE'],
    ['length before notice', { end: at('10:30') + DAY, now: at('23:00') }, 'APPOINTMENT.TOO_LONG'],
    ['whole minutes before length', { end: at('10:01') + 1 }, 'APPOINTMENT.TIME_NOT_WHOLE_MINUTE'],
    ['shortness before notice', { end: at('10:01'), now: at('23:00') }, 'APPOINTMENT.TOO_SHORT'],
    ['notice before availability', { now: at('10:30'), windows: [] }, 'APPOINTMENT.TOO_SOON'],
    ['horizon before availability', { now: NOW - 60 * DAY, windows: [] }, 'APPOINTMENT.BEYOND_HORIZON'],
    ['availability before conflicts', { start: at('11:00'), end: at('12:30') }, 'APPOINTMENT.OUTSIDE_AVAILABILITY'],
  ])('reports the first failure: %s', (_, change, code) => {
    expect(() => validateBooking({ ...ok, ...change })).toThrow(expect.objectContaining({ code }));
  });

  it('reports the first failing rule in the documented order (property)', () => {
    const tick = fc.integer({ min: 0, max: 2 * 24 * 4 }).map((q) => at('00:00') + q * 15 * MIN);
    const ivArb = fc.tuple(tick, fc.integer({ min: 1, max: 16 })).map(([s, q]) => ({ start: s, end: s + q * 15 * MIN }));
    const requestArb = fc.record({
      start: tick,
      length: fc.integer({ min: -2, max: 100 }).map((q) => q * 15 * MIN),
      minMinutes: fc.integer({ min: 1, max: 40 }),
      now: fc.integer({ min: -3 * 24 * 4, max: 2 * 24 * 4 }).map((q) => at('00:00') + q * 15 * MIN),
      rules: fc.record({
        bufferBeforeMinutes: fc.integer({ min: 0, max: 60 }),
        bufferAfterMinutes: fc.integer({ min: 0, max: 60 }),
        minNoticeMinutes: fc.integer({ min: 0, max: 600 }),
        maxAdvanceDays: fc.integer({ min: 0, max: 3 }),
        slotIntervalMinutes: fc.constant(null),
        maxBookingsPerDay: fc.constant(null),
      }),
      windows: fc.array(ivArb, { maxLength: 5 }),
      blocked: fc.array(ivArb, { maxLength: 3 }),
      busy: fc.array(ivArb, { maxLength: 6 }),
      clientBlocked: fc.boolean(),
    });
    fc.assert(
      fc.property(requestArb, ({ length, ...r }) => {
        const req: BookingRequest = { ...r, end: r.start + length };
        const { start, end, now } = req;
        const hits = (list: readonly Interval[], s: number, e: number) => list.some((x) => x.start < e && s < x.end);
        // Covered by the union of windows, minute by minute: the definition "inside one (merged) window".
        const covered = () => {
          for (let t = start; t < end; t += MIN) if (!req.windows.some((w) => w.start <= t && t < w.end)) return false;
          return true;
        };
        const expected = req.clientBlocked
          ? 'APPOINTMENT.CLIENT_BLOCKED'
          : end <= start
            ? 'APPOINTMENT.INVALID_RANGE'
            : end - start < req.minMinutes * MIN
              ? 'APPOINTMENT.TOO_SHORT'
              : end - start > 1440 * MIN
                ? 'APPOINTMENT.TOO_LONG'
                : start < now + req.rules.minNoticeMinutes * MIN
                  ? 'APPOINTMENT.TOO_SOON'
                  : start > now + req.rules.maxAdvanceDays * DAY
                    ? 'APPOINTMENT.BEYOND_HORIZON'
                    : !covered() || hits(req.blocked, start, end)
                      ? 'APPOINTMENT.OUTSIDE_AVAILABILITY'
                      : hits(req.busy, start - req.rules.bufferBeforeMinutes * MIN, end + req.rules.bufferAfterMinutes * MIN)
                        ? 'APPOINTMENT.SLOT_TAKEN'
                        : null;
        if (expected === null) expect(validateBooking(req)).toEqual({ bufferedStart: start - req.rules.bufferBeforeMinutes * MIN, bufferedEnd: end + req.rules.bufferAfterMinutes * MIN });
        else expect(() => validateBooking(req)).toThrow(expect.objectContaining({ code: expected }));
      }),
      { numRuns: 1000 },
    );
  });
});
