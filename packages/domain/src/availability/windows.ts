/**
 * Expands a staff member's rules into real time for a span of local dates. The zone's offsets are
 * fetched once for the whole span (see zone-timeline), so each day costs only arithmetic.
 */
import { DomainError } from '../errors.ts';
import { mergeIntervals } from '../scheduling/intervals.ts';
import type { AvailabilityRule, Instant, Interval } from '../scheduling/types.ts';
import { DAY_MS, dayNumber, dayOfWeekOfDay } from '../time/calendar.ts';
import { boundaryInstant, zoneTimeline } from '../time/zone-timeline.ts';
import { parseAvailabilityRule } from './rules.ts';

export interface AvailabilityWindows {
  /** Sorted, disjoint available time; not yet minus `blocked` (slot grids start at window starts). */
  readonly windows: Interval[];
  /** Sorted, disjoint unavailable time (weekly, date and range rules). */
  readonly blocked: Interval[];
}

interface DailyRule {
  readonly available: boolean;
  readonly startMs: number;
  readonly endMs: number;
}

function parseDay(date: string, name: string): number {
  const day = dayNumber(date);
  if (Number.isNaN(day)) throw new DomainError('SLOTS.INVALID_RANGE', `Invalid ${name} "${date}": expected YYYY-MM-DD`, { [name]: date });
  return day;
}

/** Available and blocked time for local dates fromDate..toDate (inclusive) in `zone`. */
export function availabilityWindows(
  rules: readonly AvailabilityRule[],
  zone: string,
  fromDate: string,
  toDate: string,
): AvailabilityWindows {
  const first = parseDay(fromDate, 'from_date');
  const last = parseDay(toDate, 'to_date');
  if (first > last) throw new DomainError('SLOTS.INVALID_RANGE', `from_date ${fromDate} is after to_date ${toDate}`, { from_date: fromDate, to_date: toDate });

  // Bucket wall-clock rules once: weekly by weekday, dated by day number (only those in range).
  const weekly: DailyRule[][] = [[], [], [], [], [], [], []];
  const dated = new Map<number, DailyRule[]>();
  const ranges: Interval[] = [];
  for (const rule of rules) {
    const parsed = parseAvailabilityRule(rule);
    if (parsed.type === 'range') ranges.push(parsed);
    else if (parsed.type === 'weekly') weekly[parsed.dayOfWeek]!.push(parsed);
    else if (parsed.day >= first && parsed.day <= last) {
      const list = dated.get(parsed.day);
      if (list) list.push(parsed);
      else dated.set(parsed.day, [parsed]);
    }
  }

  // Local midnight of the first day minus a day to local midnight after the last plus a day covers
  // every instant any boundary can map to (|offset| < 24 h).
  const timeline = zoneTimeline(zone, first * DAY_MS - DAY_MS, (last + 2) * DAY_MS);
  const available: Interval[] = [];
  const blocked: Interval[] = [];
  const expand = (list: readonly DailyRule[], midnight: number): void => {
    for (const r of list) {
      const start = boundaryInstant(timeline, midnight + r.startMs, 'earlier');
      const end = boundaryInstant(timeline, midnight + r.endMs, 'later');
      if (end > start) (r.available ? available : blocked).push({ start, end });
    }
  };
  for (let day = first; day <= last; day++) {
    const midnight = day * DAY_MS;
    expand(weekly[dayOfWeekOfDay(day)]!, midnight);
    const extra = dated.get(day);
    if (extra) expand(extra, midnight);
  }

  if (ranges.length > 0) {
    const spanStart: Instant = boundaryInstant(timeline, first * DAY_MS, 'earlier');
    const spanEnd: Instant = boundaryInstant(timeline, (last + 1) * DAY_MS, 'later');
    for (const r of ranges) if (r.start < spanEnd && r.end > spanStart) blocked.push({ start: r.start, end: r.end });
  }
  return { windows: mergeIntervals(available), blocked: mergeIntervals(blocked) };
}
