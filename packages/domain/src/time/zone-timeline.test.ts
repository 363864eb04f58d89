import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { boundaryInstant, possibleInstants, zoneTimeline } from './zone-timeline.ts';

const utc = (iso: string) => Date.parse(iso);
const H = 3_600_000;

describe('zone timeline', () => {
  const berlin2026 = zoneTimeline('Europe/Berlin', utc('2026-01-01T00:00:00Z'), utc('2026-12-31T00:00:00Z'));

  it("holds the offset at the start and each transition in the span", () => {
    expect(berlin2026.starts).toEqual([-Infinity, utc('2026-03-29T01:00:00Z'), utc('2026-10-25T01:00:00Z')]);
    expect(berlin2026.offsets).toEqual([1 * H, 2 * H, 1 * H]);
    expect(zoneTimeline('Asia/Kolkata', 0, utc('2030-01-01T00:00:00Z')).offsets).toEqual([5.5 * H]);
  });

  it('finds no reading in a gap, two in an overlap, one otherwise', () => {
    expect(possibleInstants(berlin2026, utc('2026-03-29T02:30:00Z'))).toEqual([]);
    expect(possibleInstants(berlin2026, utc('2026-10-25T02:30:00Z'))).toEqual([utc('2026-10-25T00:30:00Z'), utc('2026-10-25T01:30:00Z')]);
    expect(possibleInstants(berlin2026, utc('2026-06-01T12:00:00Z'))).toEqual([utc('2026-06-01T10:00:00Z')]);
  });

  it('maps gap boundaries to the transition, overlap boundaries to the requested reading', () => {
    expect(boundaryInstant(berlin2026, utc('2026-03-29T02:00:00Z'), 'earlier')).toBe(utc('2026-03-29T01:00:00Z'));
    expect(boundaryInstant(berlin2026, utc('2026-03-29T02:59:59Z'), 'later')).toBe(utc('2026-03-29T01:00:00Z'));
    expect(boundaryInstant(berlin2026, utc('2026-03-29T03:00:00Z'), 'earlier')).toBe(utc('2026-03-29T01:00:00Z'));
    expect(boundaryInstant(berlin2026, utc('2026-03-29T01:59:59Z'), 'earlier')).toBe(utc('2026-03-29T00:59:59Z'));
    expect(boundaryInstant(berlin2026, utc('2026-10-25T02:00:00Z'), 'earlier')).toBe(utc('2026-10-25T00:00:00Z'));
    expect(boundaryInstant(berlin2026, utc('2026-10-25T02:00:00Z'), 'later')).toBe(utc('2026-10-25T01:00:00Z'));
    expect(boundaryInstant(berlin2026, utc('2026-10-25T03:00:00Z'), 'earlier')).toBe(utc('2026-10-25T02:00:00Z'));
  });

  it("equals walking Temporal's transitions from the start, across year ends, for any span", () => {
    // The timeline is assembled from cached years; this is what it must equal, asked of Temporal directly.
    const direct = (zone: string, from: number, to: number) => {
      let zdt = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(zone);
      const starts = [-Infinity];
      const offsets = [zdt.offsetNanoseconds / 1e6];
      for (let next = zdt.getTimeZoneTransition('next'); next !== null && next.epochMilliseconds <= to; next = zdt.getTimeZoneTransition('next')) {
        starts.push(next.epochMilliseconds);
        offsets.push(next.offsetNanoseconds / 1e6);
        zdt = next;
      }
      return { starts, offsets };
    };
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia', 'America/Sao_Paulo', 'Asia/Kolkata', 'UTC', 'europe/london'];
    // Instants near year ends and transitions are the interesting ones: spans of up to 400 days from 1969 to 2040.
    const instant = fc.integer({ min: utc('1969-12-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') });
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, fc.integer({ min: 0, max: 400 * 24 * H }), (zone, from, span) => {
        expect(zoneTimeline(zone, from, from + span)).toEqual(direct(zone, from, from + span));
      }),
      { numRuns: 500 },
    );
    // Spans that start or end exactly on a transition.
    const transition = utc('2026-03-29T01:00:00Z');
    expect(zoneTimeline('Europe/Berlin', transition, transition)).toEqual(direct('Europe/Berlin', transition, transition));
    expect(zoneTimeline('Europe/Berlin', transition - 1, transition)).toEqual(direct('Europe/Berlin', transition - 1, transition));
  });

  it('refuses an unknown zone with a domain error', () => {
    expect(() => zoneTimeline('Nowhere/Town', 0, 1)).toThrow(expect.objectContaining({ code: 'TIME.INVALID_DATETIME' }));
  });
});
