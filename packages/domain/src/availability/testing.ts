/** fast-check arbitraries for availability, shared by the windows, slots and booking tests. */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import type { AvailabilityRule } from '../scheduling/types.ts';
import { addDays } from '../time/calendar.ts';

const utc = (iso: string) => Date.parse(iso);

export const weekly = (dayOfWeek: number, startTime: string, endTime: string, kind: 'available' | 'unavailable' = 'available'): AvailabilityRule => ({
  kind,
  type: 'weekly',
  dayOfWeek,
  startTime,
  endTime,
});

export const dated = (date: string, startTime: string, endTime: string, kind: 'available' | 'unavailable' = 'available'): AvailabilityRule => ({
  kind,
  type: 'date',
  date,
  startTime,
  endTime,
});

/** DST both ways, half-hour offsets (Adelaide, Kolkata), a 30-minute DST shift, midnight transitions. */
export const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Adelaide', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'] as const;

/** Up to 14 rules of every type on quarter-hour times, some dated just outside the span. */
export const rulesArb = (firstDate: string, days: number) => {
  const quarter = fc.integer({ min: 0, max: 96 });
  const times = fc.tuple(quarter, quarter).filter(([a, b]) => a !== b).map(([a, b]) => {
    const hhmm = (q: number) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}:00`;
    return [hhmm(Math.min(a, b)), hhmm(Math.max(a, b))] as const;
  });
  const kind = fc.constantFrom('available', 'available', 'unavailable') as fc.Arbitrary<'available' | 'unavailable'>;
  const weeklyRule = fc.tuple(kind, fc.integer({ min: 0, max: 6 }), times).map(([k, d, [s, e]]) => weekly(d, s, e, k));
  const datedRule = fc.tuple(kind, fc.integer({ min: -1, max: days }), times).map(([k, n, [s, e]]) => dated(addDays(firstDate, n), s, e, k));
  const base = utc(`${firstDate}T00:00:00Z`);
  const rangeRule = fc
    .tuple(fc.integer({ min: -2 * 24 * 4, max: (days + 2) * 24 * 4 }), fc.integer({ min: 1, max: 24 * 4 }))
    .map(([q, len]): AvailabilityRule => ({ kind: 'unavailable', type: 'range', start: base + q * 900_000, end: base + (q + len) * 900_000 }));
  return fc.array(fc.oneof(weeklyRule, weeklyRule, datedRule, rangeRule), { maxLength: 14 });
};

/** A few local dates starting on or near a real transition in one of ZONES, with rules. */
export const calendarArb = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    seed: fc.integer({ min: utc('2020-01-01T00:00:00Z'), max: utc('2035-01-01T00:00:00Z') }),
    shift: fc.integer({ min: -3, max: 1 }),
    days: fc.integer({ min: 1, max: 6 }),
  })
  .map(({ zone, seed, shift, days }) => {
    const at = Temporal.Instant.fromEpochMilliseconds(seed).toZonedDateTimeISO(zone);
    const from = (at.getTimeZoneTransition('next') ?? at).toPlainDate().add({ days: shift }).toString();
    return { zone, from, to: addDays(from, days - 1), days };
  })
  .chain((cal) => rulesArb(cal.from, cal.days).map((rules) => ({ ...cal, rules })));

