/**
 * A zone's UTC offsets over a span of time: the offset at the start, then each transition, so that
 * converting any number of wall-clock times inside the span is plain arithmetic. Temporal is asked
 * once per zone and calendar year (its transition search costs tens of microseconds a call, and
 * every booking, reschedule and slot query converts times); tz rules don't change while we run.
 */
import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../errors.ts';
import type { Instant } from '../scheduling/types.ts';

export interface ZoneTimeline {
  /** starts[i] is the first instant of offsets[i]; starts[0] is -Infinity. */
  readonly starts: readonly number[];
  /** Offsets in ms (local = instant + offset). */
  readonly offsets: readonly number[];
}

/** One UTC calendar year of a zone: the offset in force just before it, and the transitions inside it. */
interface ZoneYear {
  readonly before: number;
  readonly at: readonly number[];
  readonly offsets: readonly number[];
}

function zonedAt(instant: Instant, zone: string): Temporal.ZonedDateTime {
  try {
    return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone);
  } catch (error) {
    if (error instanceof RangeError) throw new DomainError('TIME.INVALID_DATETIME', `Unknown time zone "${zone}" or instant out of range`, { zone });
    throw error;
  }
}

// Keyed by the zone as spelled (zones are case-insensitive, so spellings are many): emptied when
// it grows past what real zones can fill, so odd spellings in requests can't grow it for ever.
const MAX_CACHED_YEARS = 50_000;
const years = new Map<string, ZoneYear>();

function zoneYear(zone: string, year: number): ZoneYear {
  const key = `${year} ${zone}`;
  let found = years.get(key);
  if (found) return found;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  // From the last millisecond before the year, so a transition exactly at its start is inside it.
  let zdt = zonedAt(start - 1, zone);
  const at: number[] = [];
  const offsets: number[] = [];
  const before = zdt.offsetNanoseconds / 1e6;
  for (;;) {
    const next = zdt.getTimeZoneTransition('next');
    if (next === null || next.epochMilliseconds >= end) break;
    at.push(next.epochMilliseconds);
    offsets.push(next.offsetNanoseconds / 1e6);
    zdt = next;
  }
  if (years.size >= MAX_CACHED_YEARS) years.clear();
  years.set(key, (found = { before, at, offsets }));
  return found;
}

const yearOf = (instant: Instant) => new Date(instant).getUTCFullYear();

/** Offsets of `zone` valid for every instant in [from, to] (exact; the ends extend outwards). */
export function zoneTimeline(zone: string, from: Instant, to: Instant): ZoneTimeline {
  const first = zoneYear(zone, yearOf(from));
  let offset = first.before;
  for (let i = 0; i < first.at.length && first.at[i]! <= from; i++) offset = first.offsets[i]!;
  const starts = [-Infinity];
  const offsets = [offset];
  for (let year = yearOf(from); year <= yearOf(to); year++) {
    const { at, offsets: after } = year === yearOf(from) ? first : zoneYear(zone, year);
    for (let i = 0; i < at.length; i++) {
      if (at[i]! > from && at[i]! <= to) {
        starts.push(at[i]!);
        offsets.push(after[i]!);
      }
    }
  }
  return { starts, offsets };
}

/**
 * Every instant whose wall clock reads `local` (local epoch ms): none in a gap, two in an overlap.
 * Valid candidates come out in increasing order, since the segments are in time order.
 * `local` must lie inside the timeline's span (± one day is always enough: |offset| < 24 h).
 */
export function possibleInstants(timeline: ZoneTimeline, local: number): Instant[] {
  const { starts, offsets } = timeline;
  const found: Instant[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const instant = local - offsets[i]!;
    if (instant >= starts[i]! && instant < (starts[i + 1] ?? Infinity)) found.push(instant);
  }
  return found;
}

/**
 * The instant for a window boundary at wall-clock `local`: in an overlap the earlier or later
 * reading; in a gap the transition itself, so a window holds exactly the real time it names.
 */
export function boundaryInstant(timeline: ZoneTimeline, local: number, pick: 'earlier' | 'later'): Instant {
  const { starts, offsets } = timeline;
  // The common case: no transition anywhere near this calendar.
  if (offsets.length === 1) return local - offsets[0]!;
  let result = NaN;
  for (let i = 0; i < offsets.length; i++) {
    const instant = local - offsets[i]!;
    if (instant >= starts[i]! && instant < (starts[i + 1] ?? Infinity)) {
      if (pick === 'earlier') return instant;
      result = instant;
    }
  }
  if (!Number.isNaN(result)) return result;
  return gapTransition(timeline, local);
}

/** The transition that skipped over wall-clock `local`. */
export function gapTransition(timeline: ZoneTimeline, local: number): Instant {
  const { starts, offsets } = timeline;
  for (let i = 1; i < offsets.length; i++) {
    const at = starts[i]!;
    if (at + offsets[i - 1]! <= local && local < at + offsets[i]!) return at;
  }
  throw new Error(`wall-clock ${local} is outside the zone timeline`);
}
