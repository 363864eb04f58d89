/**
 * A zone's UTC offsets over a span of time, fetched from Temporal once (the offset at the start,
 * then each transition) so that converting any number of wall-clock times inside the span is plain
 * arithmetic. Temporal calls cost microseconds each; a 30-day calendar needs one to three of them.
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

function zonedAt(instant: Instant, zone: string): Temporal.ZonedDateTime {
  try {
    return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone);
  } catch (error) {
    if (error instanceof RangeError) throw new DomainError('TIME.INVALID_DATETIME', `Unknown time zone "${zone}" or instant out of range`, { zone });
    throw error;
  }
}

/** Offsets of `zone` valid for every instant in [from, to] (exact; the ends extend outwards). */
export function zoneTimeline(zone: string, from: Instant, to: Instant): ZoneTimeline {
  let zdt = zonedAt(from, zone);
  const starts = [-Infinity];
  const offsets = [zdt.offsetNanoseconds / 1e6];
  for (;;) {
    const next = zdt.getTimeZoneTransition('next');
    if (next === null || next.epochMilliseconds > to) break;
    starts.push(next.epochMilliseconds);
    offsets.push(next.offsetNanoseconds / 1e6);
    zdt = next;
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
