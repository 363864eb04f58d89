/** Conversions between wall-clock readings, request strings and instants, one value at a time. */
import { DomainError } from '../errors.ts';
import type { Instant } from '../scheduling/types.ts';
import { DAY_MS, dayNumber, isValidCivilDate, timeOfDayMs } from './calendar.ts';
import { boundaryInstant, possibleInstants, zoneTimeline } from './zone-timeline.ts';

/**
 * A window boundary: `date` at wall-clock `time` in `zone` ("24:00" is the next midnight).
 * In a DST gap it is the transition instant; when the reading is ambiguous, a 'start' takes the
 * earlier instant and an 'end' the later one, so the window covers every instant it names.
 */
export function wallClockToInstant(date: string, time: string, zone: string, boundary: 'start' | 'end'): Instant {
  const day = dayNumber(date);
  const ms = timeOfDayMs(time);
  if (Number.isNaN(day)) throw new DomainError('TIME.INVALID_DATETIME', `Invalid date "${date}": expected YYYY-MM-DD`, { date });
  if (Number.isNaN(ms)) throw new DomainError('TIME.INVALID_DATETIME', `Invalid time "${time}": expected HH:MM[:SS] between 00:00 and 24:00`, { time });
  const local = day * DAY_MS + ms;
  const timeline = zoneTimeline(zone, local - DAY_MS, local + DAY_MS);
  return boundaryInstant(timeline, local, boundary === 'start' ? 'earlier' : 'later');
}

// 2026-02-02T10:00, :00, .123456 and an optional Z / ±HH[:MM] offset; 'T' may be a space (RFC 3339).
const REQUEST_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

function invalid(value: string, why: string): DomainError {
  return new DomainError('TIME.INVALID_DATETIME', `Invalid date-time "${value}": ${why}`, { value });
}

/**
 * A date-time from a request. With an offset or Z it is taken as given; a naive one is read in
 * `zone`, refusing a time the clocks skipped and taking the earlier of two readings on fall-back.
 */
export function parseRequestDateTime(value: string, zone: string): Instant {
  const instant = parseLocalOrOffset(value, zone);
  // The year check above is on the written fields; an offset can still carry the instant out of range.
  if (instant < MIN_INSTANT || instant > MAX_INSTANT) throw invalid(value, 'outside 1970–9999 (UTC)');
  return instant;
}

const MIN_INSTANT = Date.UTC(1970, 0, 1);
const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function parseLocalOrOffset(value: string, zone: string): Instant {
  const m = REQUEST_RE.exec(value);
  if (!m) throw invalid(value, 'expected ISO 8601 like 2026-02-02T10:00:00 or 2026-02-02T09:00:00Z');
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (!isValidCivilDate(year, month, day)) throw invalid(value, 'no such date, or year outside 1970–9999');
  if (hour > 23 || minute > 59 || second > 59) throw invalid(value, 'no such time of day');
  // Sub-millisecond digits are dropped: instants are whole milliseconds.
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (z !== undefined) return local;
  if (sign !== undefined) {
    const offH = Number(oh);
    const offM = om === undefined ? 0 : Number(om);
    if (offH > 23 || offM > 59) throw invalid(value, 'offset out of range');
    return local - (sign === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  }
  const candidates = possibleInstants(zoneTimeline(zone, local - DAY_MS, local + DAY_MS), local);
  const first = candidates[0];
  if (first === undefined) {
    throw new DomainError('TIME.NONEXISTENT_LOCAL_TIME', `${value} does not exist in ${zone}: the clocks skip it (daylight saving time)`, { value, zone });
  }
  return first;
}

/** The calendar date in `zone` at `instant`. */
export function localDate(instant: Instant, zone: string): string {
  if (!Number.isFinite(instant)) throw new DomainError('TIME.INVALID_DATETIME', `Invalid instant ${instant}`);
  const offset = zoneTimeline(zone, instant, instant).offsets[0]!;
  return new Date(Math.floor((instant + offset) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The one ISO spelling the API emits: UTC with milliseconds, e.g. 2026-02-02T09:00:00.000Z. */
export function formatInstant(instant: Instant): string {
  if (!Number.isFinite(instant)) throw new DomainError('TIME.INVALID_DATETIME', `Invalid instant ${instant}`);
  return new Date(instant).toISOString();
}
