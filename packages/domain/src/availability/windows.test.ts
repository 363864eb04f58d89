import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AvailabilityRule, Interval } from '../scheduling/types.ts';
import { addDays, dayOfWeek } from '../time/calendar.ts';
import { wallClockToInstant } from '../time/convert.ts';
import { calendarArb, dated, weekly } from './testing.ts';
import { availabilityWindows } from './windows.ts';

const H = 3_600_000;
const utc = (iso: string) => Date.parse(iso);
const iv = (start: string, end: string): Interval => ({ start: utc(start), end: utc(end) });
const workweek = [0, 1, 2, 3, 4].flatMap((d) => [weekly(d, '09:00:00', '12:00:00'), weekly(d, '13:00:00', '17:00:00')]);

describe('availabilityWindows', () => {
  it('expands weekly rules on matching weekdays in the staff zone', () => {
    // 2026-02-06 is a Friday; the weekend has no rules.
    const { windows, blocked } = availabilityWindows(workweek, 'Europe/Berlin', '2026-02-06', '2026-02-09');
    expect(windows).toEqual([
      iv('2026-02-06T08:00:00Z', '2026-02-06T11:00:00Z'),
      iv('2026-02-06T12:00:00Z', '2026-02-06T16:00:00Z'),
      iv('2026-02-09T08:00:00Z', '2026-02-09T11:00:00Z'),
      iv('2026-02-09T12:00:00Z', '2026-02-09T16:00:00Z'),
    ]);
    expect(blocked).toEqual([]);
  });

  it('adds date rules, merges overlapping and touching windows, collects every kind of block', () => {
    const rules: AvailabilityRule[] = [
      ...workweek,
      dated('2026-02-02', '12:00', '13:00'), // fills the lunch gap: one 09–17 window
      dated('2026-02-03', '11:00', '14:00'), // overlaps both
      weekly(2, '10:00', '10:30', 'unavailable'),
      dated('2026-02-05', '15:00', '16:00', 'unavailable'),
      { kind: 'unavailable', type: 'range', start: utc('2026-02-05T14:30:00Z'), end: utc('2026-02-05T18:00:00Z') },
      { kind: 'unavailable', type: 'range', start: utc('2026-03-01T00:00:00Z'), end: utc('2026-03-02T00:00:00Z') }, // outside: left out
      dated('2026-02-10', '09:00', '10:00'), // outside the dates asked for
    ];
    const { windows, blocked } = availabilityWindows(rules, 'Europe/Berlin', '2026-02-02', '2026-02-05');
    expect(windows.slice(0, 2)).toEqual([iv('2026-02-02T08:00:00Z', '2026-02-02T16:00:00Z'), iv('2026-02-03T08:00:00Z', '2026-02-03T16:00:00Z')]);
    expect(windows).toHaveLength(6);
    expect(blocked).toEqual([iv('2026-02-04T09:00:00Z', '2026-02-04T09:30:00Z'), iv('2026-02-05T14:00:00Z', '2026-02-05T18:00:00Z')]);
  });

  it('joins windows across midnight, so an overnight shift is one window', () => {
    const rules = [weekly(0, '20:00', '24:00'), weekly(1, '00:00', '04:00')];
    expect(availabilityWindows(rules, 'America/New_York', '2026-02-02', '2026-02-03').windows).toEqual([iv('2026-02-03T01:00:00Z', '2026-02-03T09:00:00Z')]);
  });

  it.each([
    ['Europe/Berlin', '2026-03-29', 2],
    ['Europe/Berlin', '2026-10-25', 4],
    ['America/New_York', '2026-03-08', 2],
    ['America/New_York', '2026-11-01', 4],
    ['Australia/Adelaide', '2026-10-04', 2],
    ['Australia/Adelaide', '2026-04-05', 4],
    ['Asia/Kolkata', '2026-03-29', 3],
  ])('a 01:00–04:00 rule in %s on %s holds %i real hours', (zone, date, hours) => {
    for (const rule of [dated(date, '01:00', '04:00'), weekly(dayOfWeek(date), '01:00:00', '04:00:00')]) {
      const [window, ...rest] = availabilityWindows([rule], zone, date, date).windows;
      expect(rest).toEqual([]);
      expect(window!.end - window!.start).toBe(hours * H);
    }
  });

  it('drops a window that lies wholly inside a DST gap', () => {
    expect(availabilityWindows([dated('2026-03-29', '02:00', '03:00')], 'Europe/Berlin', '2026-03-29', '2026-03-29').windows).toEqual([]);
  });

  it('keeps the half-hour offset of Adelaide across its DST change', () => {
    const { windows } = availabilityWindows([weekly(0, '09:00', '17:00')], 'Australia/Adelaide', '2026-03-30', '2026-04-06');
    expect(windows).toEqual([iv('2026-03-29T22:30:00Z', '2026-03-30T06:30:00Z'), iv('2026-04-05T23:30:00Z', '2026-04-06T07:30:00Z')]);
  });

  it.each([
    ['2026-02-30', '2026-03-01'],
    ['2026-03-02', '2026-03-01'],
    ['yesterday', '2026-03-01'],
  ])('refuses the date range %s..%s', (from, to) => {
    expect(() => availabilityWindows(workweek, 'UTC', from, to)).toThrow(expect.objectContaining({ code: 'SLOTS.INVALID_RANGE' }));
  });

  it('refuses a malformed stored rule rather than skipping it', () => {
    expect(() => availabilityWindows([weekly(7, '09:00', '10:00')], 'UTC', '2026-02-02', '2026-02-02')).toThrow(expect.objectContaining({ code: 'AVAILABILITY.INVALID' }));
    expect(() => availabilityWindows([weekly(1, '10:00', '09:00')], 'UTC', '2026-02-02', '2026-02-02')).toThrow(expect.objectContaining({ code: 'AVAILABILITY.INVALID' }));
  });
});

// An independent, slow oracle: each occurrence converted on its own (Temporal per boundary), then a
// quadratic union.
function naiveUnion(list: Interval[]): Interval[] {
  let parts = list.filter((x) => x.end > x.start).map((x) => ({ ...x }));
  for (let changed = true; changed; ) {
    changed = false;
    outer: for (let i = 0; i < parts.length; i++)
      for (let j = i + 1; j < parts.length; j++) {
        const a = parts[i]!;
        const b = parts[j]!;
        if (a.start <= b.end && b.start <= a.end) {
          parts = [...parts.filter((_, k) => k !== i && k !== j), { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) }];
          changed = true;
          break outer;
        }
      }
  }
  return parts.sort((a, b) => a.start - b.start);
}

function naiveWindows(rules: AvailabilityRule[], zone: string, from: string, to: string) {
  const available: Interval[] = [];
  const blocked: Interval[] = [];
  const spanStart = wallClockToInstant(from, '00:00', zone, 'start');
  const spanEnd = wallClockToInstant(to, '24:00', zone, 'end');
  for (let date = from; date <= to; date = addDays(date, 1)) {
    for (const r of rules) {
      if (r.type === 'range') continue;
      if (r.type === 'weekly' ? r.dayOfWeek !== dayOfWeek(date) : r.date !== date) continue;
      const x = { start: wallClockToInstant(date, r.startTime, zone, 'start'), end: wallClockToInstant(date, r.endTime, zone, 'end') };
      (r.kind === 'available' ? available : blocked).push(x);
    }
  }
  for (const r of rules) if (r.type === 'range' && r.start < spanEnd && r.end > spanStart) blocked.push({ start: r.start, end: r.end });
  return { windows: naiveUnion(available), blocked: naiveUnion(blocked) };
}

describe('availabilityWindows (properties)', () => {
  it('equals converting each occurrence separately and taking the union', () => {
    fc.assert(
      fc.property(calendarArb, ({ zone, from, to, rules }) => {
        expect(availabilityWindows(rules, zone, from, to)).toEqual(naiveWindows(rules, zone, from, to));
      }),
      { numRuns: 200 },
    );
  });

  it('returns sorted, separated windows inside the dates asked for', () => {
    fc.assert(
      fc.property(calendarArb, ({ zone, from, to, rules }) => {
        const { windows, blocked } = availabilityWindows(rules, zone, from, to);
        for (const list of [windows, blocked])
          for (let i = 0; i < list.length; i++) {
            expect(list[i]!.end).toBeGreaterThan(list[i]!.start);
            if (i > 0) expect(list[i]!.start).toBeGreaterThan(list[i - 1]!.end);
          }
        for (const w of windows) {
          expect(w.start).toBeGreaterThanOrEqual(wallClockToInstant(from, '00:00', zone, 'start'));
          expect(w.end).toBeLessThanOrEqual(wallClockToInstant(to, '24:00', zone, 'end'));
        }
      }),
      { numRuns: 200 },
    );
  });
});
