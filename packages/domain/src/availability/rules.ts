/** Well-formedness of one availability rule, checked when it is written and again when expanded. */
import { DomainError } from '../errors.ts';
import type { AvailabilityRule } from '../scheduling/types.ts';
import { dayNumber, isWholeMinute, timeOfDayMs } from '../time/calendar.ts';

/** A rule reduced to numbers: wall-clock rules as ms since midnight, dated ones with their day number. */
export type ParsedRule =
  | { readonly type: 'weekly'; readonly available: boolean; readonly dayOfWeek: number; readonly startMs: number; readonly endMs: number }
  | { readonly type: 'date'; readonly available: boolean; readonly day: number; readonly startMs: number; readonly endMs: number }
  | { readonly type: 'range'; readonly start: number; readonly end: number };

function fail(message: string, details?: Record<string, unknown>): never {
  throw new DomainError('AVAILABILITY.INVALID', message, details);
}

function times(startTime: string, endTime: string): { startMs: number; endMs: number } {
  const startMs = timeOfDayMs(startTime);
  const endMs = timeOfDayMs(endTime);
  if (Number.isNaN(startMs)) fail(`Invalid start_time "${startTime}": expected HH:MM or HH:MM:SS`, { start_time: startTime });
  if (Number.isNaN(endMs)) fail(`Invalid end_time "${endTime}": expected HH:MM or HH:MM:SS, up to 24:00`, { end_time: endTime });
  if (startMs >= endMs) fail(`start_time ${startTime} must be before end_time ${endTime}`, { start_time: startTime, end_time: endTime });
  return { startMs, endMs };
}

/** Parses `rule`, throwing AVAILABILITY.INVALID that names the first thing wrong with it. */
export function parseAvailabilityRule(rule: AvailabilityRule): ParsedRule {
  const available = rule.kind === 'available';
  switch (rule.type) {
    case 'weekly':
      if (!Number.isInteger(rule.dayOfWeek) || rule.dayOfWeek < 0 || rule.dayOfWeek > 6) {
        fail(`day_of_week must be 0 (Monday) to 6 (Sunday), got ${rule.dayOfWeek}`, { day_of_week: rule.dayOfWeek });
      }
      return { type: 'weekly', available, dayOfWeek: rule.dayOfWeek, ...times(rule.startTime, rule.endTime) };
    case 'date': {
      const day = dayNumber(rule.date);
      if (Number.isNaN(day)) fail(`Invalid date "${rule.date}": expected YYYY-MM-DD between 1970 and 9999`, { date: rule.date });
      return { type: 'date', available, day, ...times(rule.startTime, rule.endTime) };
    }
    case 'range':
      // Stored data could say otherwise; a range only ever blocks time.
      if ((rule.kind as string) !== 'unavailable') fail('A range rule can only block time (kind "unavailable")');
      if (!Number.isSafeInteger(rule.start) || !Number.isSafeInteger(rule.end)) fail('A range needs a valid start and end');
      if (rule.start >= rule.end) fail('A range must start before it ends');
      return { type: 'range', start: rule.start, end: rule.end };
  }
}

/**
 * Throws AVAILABILITY.INVALID when `rule` is malformed (start not before end, bad weekday, bad date…),
 * or when a new rule's times are not whole minutes: slots start on window edges, and booking
 * refuses times with seconds. Stored rules are expanded as they are.
 */
export function validateRule(rule: AvailabilityRule): void {
  const parsed = parseAvailabilityRule(rule);
  const [start, end] = parsed.type === 'range' ? [parsed.start, parsed.end] : [parsed.startMs, parsed.endMs];
  if (!isWholeMinute(start) || !isWholeMinute(end)) fail('Availability times must be whole minutes (seconds 00, no fractions)');
}
