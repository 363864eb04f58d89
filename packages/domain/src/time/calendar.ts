/**
 * Calendar dates and wall-clock times as plain numbers. A date becomes its day number (days since
 * 1970-01-01) and a time its milliseconds since midnight, so the engine can add them into "local
 * epoch ms" (the wall clock read as if it were UTC) without asking Temporal for every rule.
 */
import { DomainError } from '../errors.ts';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Whether an instant (or a time of day, in ms) has no seconds and no fraction. */
export function isWholeMinute(ms: number): boolean {
  return ms % MINUTE_MS === 0;
}

/** The years the product accepts anywhere (dates, request date-times). */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

// Hand-rolled digit parsing rather than regexes: rules are parsed on every availability query.
/** The number in text[at, at + len) if every character is an ASCII digit, else NaN. */
function digits(text: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return NaN;
    n = n * 10 + c;
  }
  return n;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True for a real calendar date between MIN_YEAR and MAX_YEAR. */
export function isValidCivilDate(year: number, month: number, day: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days since 1970-01-01 for "YYYY-MM-DD", or NaN when it is not a valid date. */
export function dayNumber(date: string): number {
  if (date.length !== 10 || date[4] !== '-' || date[7] !== '-') return NaN;
  const year = digits(date, 0, 4);
  const month = digits(date, 5, 2);
  const day = digits(date, 8, 2);
  if (!isValidCivilDate(year, month, day)) return NaN; // false for NaN too
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** "YYYY-MM-DD" for a day number. */
export function formatDayNumber(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** Milliseconds since midnight for "HH:MM" / "HH:MM:SS" (00:00 to 24:00), or NaN when invalid. */
export function timeOfDayMs(time: string): number {
  const long = time.length === 8;
  if (!(long || time.length === 5) || time[2] !== ':' || (long && time[5] !== ':')) return NaN;
  const h = digits(time, 0, 2);
  const min = digits(time, 3, 2);
  const s = long ? digits(time, 6, 2) : 0;
  // Written so that NaN fails every test.
  if (!(h === 24 ? min === 0 && s === 0 : h <= 23 && min <= 59 && s <= 59)) return NaN;
  return ((h * 60 + min) * 60 + s) * 1000;
}

export function isValidDate(date: string): boolean {
  return !Number.isNaN(dayNumber(date));
}

export function isValidTime(time: string): boolean {
  return !Number.isNaN(timeOfDayMs(time));
}

function requireDay(date: string): number {
  const days = dayNumber(date);
  if (Number.isNaN(days)) throw new DomainError('TIME.INVALID_DATETIME', `Invalid date "${date}": expected YYYY-MM-DD`, { date });
  return days;
}

function requireTime(time: string): number {
  const ms = timeOfDayMs(time);
  if (Number.isNaN(ms)) throw new DomainError('TIME.INVALID_DATETIME', `Invalid time "${time}": expected HH:MM or HH:MM:SS between 00:00 and 24:00`, { time });
  return ms;
}

/** The date `days` after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new DomainError('TIME.INVALID_DATETIME', `Day count must be an integer, got ${days}`);
  const result = formatDayNumber(requireDay(date) + days);
  if (!isValidDate(result)) throw new DomainError('TIME.INVALID_DATETIME', `Date ${date} plus ${days} days is outside ${MIN_YEAR}–${MAX_YEAR}`);
  return result;
}

/** 0 = Monday … 6 = Sunday, the numbering availability rules use. */
export function dayOfWeekOfDay(days: number): number {
  // 1970-01-01 was a Thursday (3).
  return (((days + 3) % 7) + 7) % 7;
}

export function dayOfWeek(date: string): number {
  return dayOfWeekOfDay(requireDay(date));
}

/** Orders wall-clock times by value ("09:00" equals "09:00:00"): negative, 0 or positive. */
export function compareTime(a: string, b: string): number {
  return Math.sign(requireTime(a) - requireTime(b));
}

/** The stored spelling of a time: "9:00" is refused, "09:00" becomes "09:00:00". */
export function normalizeTime(time: string): string {
  requireTime(time);
  return time.length === 5 ? `${time}:00` : time;
}
