import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatInstant, localDate, parseRequestDateTime, wallClockToInstant } from './convert.ts';

const H = 3_600_000;
const utc = (iso: string) => Date.parse(iso);
// DST in both hemispheres, half- and quarter-hour offsets, a 30-minute DST shift, midnight
// transitions (Santiago, Havana), and Apia, which skipped 2011-12-30 entirely.
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Adelaide',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/Santiago',
  'America/Havana',
  'America/St_Johns',
  'Pacific/Apia',
  'UTC',
] as const;

describe('wallClockToInstant', () => {
  it.each([
    // Ordinary days.
    ['2026-02-02', '09:00', 'Europe/Berlin', 'start', '2026-02-02T08:00:00Z'],
    ['2026-07-01', '09:00:00', 'Europe/Berlin', 'start', '2026-07-01T07:00:00Z'],
    ['2026-02-02', '09:00', 'Asia/Kolkata', 'start', '2026-02-02T03:30:00Z'],
    ['2026-02-02', '09:00', 'Australia/Adelaide', 'start', '2026-02-01T22:30:00Z'], // +10:30 in summer
    ['2026-07-01', '09:00', 'Australia/Adelaide', 'start', '2026-06-30T23:30:00Z'], // +09:30 in winter
    ['2026-02-02', '24:00', 'Europe/Berlin', 'end', '2026-02-02T23:00:00Z'],
    ['2026-02-02', '24:00:00', 'America/New_York', 'end', '2026-02-03T05:00:00Z'],
    // Gaps map to the transition, whichever boundary.
    ['2026-03-29', '02:30', 'Europe/Berlin', 'start', '2026-03-29T01:00:00Z'],
    ['2026-03-29', '02:30', 'Europe/Berlin', 'end', '2026-03-29T01:00:00Z'],
    ['2026-03-08', '02:15', 'America/New_York', 'start', '2026-03-08T07:00:00Z'],
    ['2026-10-04', '02:00', 'Australia/Adelaide', 'start', '2026-10-03T16:30:00Z'],
    ['2011-12-30', '12:00', 'Pacific/Apia', 'start', '2011-12-30T10:00:00Z'],
    // Overlaps: a start takes the earlier reading, an end the later one.
    ['2026-10-25', '02:30', 'Europe/Berlin', 'start', '2026-10-25T00:30:00Z'],
    ['2026-10-25', '02:30', 'Europe/Berlin', 'end', '2026-10-25T01:30:00Z'],
    ['2026-11-01', '01:30', 'America/New_York', 'start', '2026-11-01T05:30:00Z'],
    ['2026-11-01', '01:30', 'America/New_York', 'end', '2026-11-01T06:30:00Z'],
    ['2026-04-05', '02:30', 'Australia/Adelaide', 'start', '2026-04-04T16:00:00Z'],
    ['2026-04-05', '02:30', 'Australia/Adelaide', 'end', '2026-04-04T17:00:00Z'],
  ] as const)('%s %s in %s (%s) is %s', (date, time, zone, boundary, expected) => {
    expect(wallClockToInstant(date, time, zone, boundary)).toBe(utc(expected));
  });

  it.each([
    // zone, spring-forward day, fall-back day, real hours of 01:00–04:00 on each
    ['Europe/Berlin', '2026-03-29', '2026-10-25', 2, 4],
    ['America/New_York', '2026-03-08', '2026-11-01', 2, 4],
    ['Australia/Adelaide', '2026-10-04', '2026-04-05', 2, 4],
    ['Australia/Lord_Howe', '2026-10-04', '2026-04-05', 2.5, 3.5],
    ['Asia/Kolkata', '2026-03-29', '2026-10-25', 3, 3],
  ] as const)('a 01:00–04:00 window in %s holds the real time it names', (zone, spring, fall, springHours, fallHours) => {
    const length = (date: string) => wallClockToInstant(date, '04:00', zone, 'end') - wallClockToInstant(date, '01:00', zone, 'start');
    expect(length(spring)).toBe(springHours * H);
    expect(length(fall)).toBe(fallHours * H);
  });

  it('gives a date the zone skipped (Apia, 2011-12-30) no time at all', () => {
    expect(wallClockToInstant('2011-12-30', '24:00', 'Pacific/Apia', 'end')).toBe(wallClockToInstant('2011-12-30', '00:00', 'Pacific/Apia', 'start'));
  });

  it('refuses bad dates, times and zones', () => {
    const code = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'TIME.INVALID_DATETIME' }));
    code(() => wallClockToInstant('2026-02-30', '09:00', 'UTC', 'start'));
    code(() => wallClockToInstant('2026-02-02', '24:30', 'UTC', 'end'));
    code(() => wallClockToInstant('2026-02-02', '09:00', 'Mars/Olympus', 'start'));
  });

  // Temporal as the oracle. Dates near real transitions, so gaps and overlaps are hit often.
  const nearTransition = fc
    .record({
      zone: fc.constantFrom(...ZONES),
      seed: fc.integer({ min: utc('1971-01-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') }),
      dayShift: fc.integer({ min: -1, max: 1 }),
      minute: fc.integer({ min: 0, max: 24 * 60 }),
      boundary: fc.constantFrom('start', 'end'),
    })
    .map(({ zone, seed, dayShift, minute, boundary }) => {
      const at = Temporal.Instant.fromEpochMilliseconds(seed).toZonedDateTimeISO(zone);
      const around = at.getTimeZoneTransition('next') ?? at;
      const date = around.toPlainDate().add({ days: dayShift }).toString();
      const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      return { zone, date, time, minute, boundary: boundary as 'start' | 'end' };
    });

  it('matches Temporal: gap → transition, overlap → earlier for start, later for end (property)', () => {
    fc.assert(
      fc.property(nearTransition, ({ zone, date, minute, time, boundary }) => {
        const wall = Temporal.PlainDate.from(date).toPlainDateTime().add({ minutes: minute });
        const earlier = wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
        const later = wall.toZonedDateTime(zone, { disambiguation: 'later' });
        const inGap = !earlier.toPlainDateTime().equals(wall);
        const expected = inGap
          ? earlier.getTimeZoneTransition('next')!.epochMilliseconds
          : (boundary === 'start' ? earlier : later).epochMilliseconds;
        expect(wallClockToInstant(date, time, zone, boundary)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('is monotone and a start never comes after the end at the same reading (property)', () => {
    fc.assert(
      fc.property(nearTransition, fc.integer({ min: 0, max: 24 * 60 }), ({ zone, date, minute, boundary }, other) => {
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const [lo, hi] = minute <= other ? [minute, other] : [other, minute];
        expect(wallClockToInstant(date, hhmm(lo), zone, boundary)).toBeLessThanOrEqual(wallClockToInstant(date, hhmm(hi), zone, boundary));
        expect(wallClockToInstant(date, hhmm(lo), zone, 'start')).toBeLessThanOrEqual(wallClockToInstant(date, hhmm(lo), zone, 'end'));
      }),
      { numRuns: 300 },
    );
  });

  it("a whole day's window lasts as long as Temporal says the day does (property)", () => {
    fc.assert(
      fc.property(nearTransition, ({ zone, date }) => {
        const day = Temporal.PlainDate.from(date).toZonedDateTime(zone);
        // Where the next midnight itself repeats, 24:00 (an end) takes its later reading, Temporal's day the earlier.
        const midnight = Temporal.PlainDate.from(date).add({ days: 1 }).toPlainDateTime();
        const [earlier, later] = (['earlier', 'later'] as const).map((d) => midnight.toZonedDateTime(zone, { disambiguation: d }));
        fc.pre(!(earlier!.toPlainDateTime().equals(midnight) && !earlier!.equals(later!)));
        const length = wallClockToInstant(date, '24:00', zone, 'end') - wallClockToInstant(date, '00:00', zone, 'start');
        // A date the zone skipped entirely (Apia, 2011-12-30) holds no time; Temporal moves to the next day.
        expect(length).toBe(day.toPlainDate().toString() === date ? day.hoursInDay * H : 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseRequestDateTime', () => {
  it.each([
    ['2026-02-02T10:00:00', 'Europe/Berlin', '2026-02-02T09:00:00.000Z'],
    ['2026-02-02T10:00', 'Europe/Berlin', '2026-02-02T09:00:00.000Z'],
    ['2026-02-02T10:00:00.5', 'Europe/Berlin', '2026-02-02T09:00:00.500Z'],
    ['2026-02-02T10:00:00.123456789', 'Europe/Berlin', '2026-02-02T09:00:00.123Z'],
    ['2026-02-02 10:00:00', 'America/New_York', '2026-02-02T15:00:00.000Z'],
    ['2026-02-02T10:00:00Z', 'Europe/Berlin', '2026-02-02T10:00:00.000Z'],
    ['2026-02-02T10:00:00z', 'Europe/Berlin', '2026-02-02T10:00:00.000Z'],
    ['2026-02-02T10:00:00+05:30', 'Europe/Berlin', '2026-02-02T04:30:00.000Z'],
    ['2026-02-02T10:00:00-0330', 'Europe/Berlin', '2026-02-02T13:30:00.000Z'],
    ['2026-02-02T10:00:00+02', 'Europe/Berlin', '2026-02-02T08:00:00.000Z'],
    ['2026-02-02T10:00:00', 'Asia/Kolkata', '2026-02-02T04:30:00.000Z'],
    ['2026-02-02T10:00:00', 'Australia/Adelaide', '2026-02-01T23:30:00.000Z'],
    // Fall-back: the earlier of the two readings.
    ['2026-10-25T02:30:00', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-04-05T02:30:00', 'Australia/Adelaide', '2026-04-04T16:00:00.000Z'],
    // Right after a gap.
    ['2026-03-29T03:00:00', 'Europe/Berlin', '2026-03-29T01:00:00.000Z'],
  ])('%j in %s is %s', (value, zone, expected) => {
    expect(formatInstant(parseRequestDateTime(value, zone))).toBe(expected);
  });

  it.each([
    ['2026-03-29T02:30:00', 'Europe/Berlin'],
    ['2026-03-29T02:00', 'Europe/Berlin'],
    ['2026-03-08T02:59:59', 'America/New_York'],
    ['2026-10-04T02:30:00', 'Australia/Adelaide'],
    ['2011-12-30T12:00:00', 'Pacific/Apia'],
  ])('refuses %j in %s: the clocks skip it', (value, zone) => {
    expect(() => parseRequestDateTime(value, zone)).toThrow(expect.objectContaining({ code: 'TIME.NONEXISTENT_LOCAL_TIME' }));
  });

  it('takes a gap time with an explicit offset as given', () => {
    expect(formatInstant(parseRequestDateTime('2026-03-29T02:30:00+01:00', 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it.each([
    '2026-13-01T10:00:00',
    '2026-02-30T10:00:00',
    '2026-02-02T24:00:00',
    '2026-02-02T10:60:00',
    '2026-02-02T10:00:60',
    '1969-12-31T23:59:59',
    '10000-01-01T00:00:00',
    '2026-02-02',
    '2026-02-02T10',
    '2026-02-02T10:00:00+24:00',
    '2026-02-02T10:00:00+02:60',
    '2026-02-02T10:00:00.',
    '2026-02-02T10:00.5',
    'tomorrow',
    '',
  ])('refuses %j', (value) => {
    expect(() => parseRequestDateTime(value, 'Europe/Berlin')).toThrow(expect.objectContaining({ code: 'TIME.INVALID_DATETIME' }));
  });

  it('reads a naive time as Temporal does, refusing gaps (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: utc('1971-01-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') }),
        fc.integer({ min: -3 * 60, max: 3 * 60 }),
        fc.integer({ min: 0, max: 59_999 }),
        (zone, seed, minutes, ms) => {
          // Around a real transition, so a fair share of readings fall in gaps or overlaps.
          const at = Temporal.Instant.fromEpochMilliseconds(seed).toZonedDateTimeISO(zone);
          const wall = (at.getTimeZoneTransition('next') ?? at).toPlainDateTime().add({ milliseconds: minutes * 60_000 + ms });
          const text = wall.toString({ smallestUnit: 'millisecond' });
          const earlier = wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
          if (earlier.toPlainDateTime().equals(wall)) expect(parseRequestDateTime(text, zone)).toBe(earlier.epochMilliseconds);
          else expect(() => parseRequestDateTime(text, zone)).toThrow(expect.objectContaining({ code: 'TIME.NONEXISTENT_LOCAL_TIME' }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trips formatInstant output (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: utc('9999-12-31T23:59:59.999Z') }), fc.constantFrom(...ZONES), (instant, zone) => {
        expect(parseRequestDateTime(formatInstant(instant), zone)).toBe(instant);
      }),
    );
  });
});

describe('localDate and formatInstant', () => {
  it.each([
    ['2026-02-01T23:30:00Z', 'Europe/Berlin', '2026-02-02'],
    ['2026-02-01T23:30:00Z', 'America/New_York', '2026-02-01'],
    ['2026-02-01T18:29:59Z', 'Asia/Kolkata', '2026-02-01'],
    ['2026-02-01T18:30:00Z', 'Asia/Kolkata', '2026-02-02'],
    ['2026-02-01T13:30:00Z', 'Australia/Adelaide', '2026-02-02'],
    ['2026-03-29T00:59:59Z', 'Europe/Berlin', '2026-03-29'],
  ])('%s is %s in %s', (iso, zone, date) => {
    expect(localDate(utc(iso), zone)).toBe(date);
  });

  it('matches Temporal (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: utc('2100-01-01T00:00:00Z') }), fc.constantFrom(...ZONES), (instant, zone) => {
        expect(localDate(instant, zone)).toBe(Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone).toPlainDate().toString());
      }),
    );
  });

  it('formats instants as UTC ISO with milliseconds', () => {
    expect(formatInstant(utc('2026-02-02T09:00:00Z'))).toBe('2026-02-02T09:00:00.000Z');
    expect(() => formatInstant(NaN)).toThrow(expect.objectContaining({ code: 'TIME.INVALID_DATETIME' }));
  });
});
