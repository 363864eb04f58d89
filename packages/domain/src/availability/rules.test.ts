import { describe, expect, it } from 'vitest';
import type { AvailabilityRule } from '../scheduling/types.ts';
import { parseAvailabilityRule, validateRule } from './rules.ts';

const weekly = (dayOfWeek: number, startTime: string, endTime: string): AvailabilityRule => ({ kind: 'available', type: 'weekly', dayOfWeek, startTime, endTime });
const dated = (date: string, startTime: string, endTime: string): AvailabilityRule => ({ kind: 'unavailable', type: 'date', date, startTime, endTime });

describe('validateRule', () => {
  it.each([
    weekly(0, '09:00:00', '17:00:00'),
    weekly(6, '00:00', '24:00'),
    weekly(3, '23:59:00', '24:00:00'),
    dated('2028-02-29', '09:00', '09:01'),
    { kind: 'unavailable', type: 'range', start: 0, end: 60_000 } as const,
  ])('accepts %j', (rule) => {
    expect(() => validateRule(rule)).not.toThrow();
  });

  it.each([
    [weekly(7, '09:00', '10:00'), /day_of_week/],
    [weekly(-1, '09:00', '10:00'), /day_of_week/],
    [weekly(1.5, '09:00', '10:00'), /day_of_week/],
    [weekly(1, '10:00', '10:00'), /before end_time/],
    [weekly(1, '11:00', '10:00'), /before end_time/],
    [weekly(1, '24:00', '24:00'), /before end_time/],
    [weekly(1, '9:00', '10:00'), /start_time/],
    [weekly(1, '09:00', '24:30'), /end_time/],
    [dated('2026-02-30', '09:00', '10:00'), /date/],
    [dated('26-02-01', '09:00', '10:00'), /date/],
    [{ kind: 'unavailable', type: 'range', start: 10, end: 10 } as const, /start before it ends/],
    [{ kind: 'unavailable', type: 'range', start: NaN, end: 10 } as const, /valid start and end/],
    [{ kind: 'available', type: 'range', start: 0, end: 10 } as unknown as AvailabilityRule, /only block/],
    [weekly(3, '23:59:59', '24:00:00'), /whole minutes/],
    [dated('2028-02-29', '09:00', '09:00:30'), /whole minutes/],
    [{ kind: 'unavailable', type: 'range', start: 0, end: 1 } as const, /whole minutes/],
    [{ kind: 'unavailable', type: 'range', start: 1_500, end: 60_000 } as const, /whole minutes/],
  ])('refuses %j, saying which rule failed', (rule, message) => {
    expect(() => validateRule(rule)).toThrow(expect.objectContaining({ code: 'AVAILABILITY.INVALID', message: expect.stringMatching(message) }));
  });

  it('parses wall-clock rules into milliseconds since midnight', () => {
    expect(parseAvailabilityRule(weekly(2, '09:30', '24:00:00'))).toEqual({ type: 'weekly', available: true, dayOfWeek: 2, startMs: 34_200_000, endMs: 86_400_000 });
    expect(parseAvailabilityRule(dated('1970-01-02', '00:00', '00:00:01'))).toEqual({ type: 'date', available: false, day: 1, startMs: 0, endMs: 1000 });
  });
});
