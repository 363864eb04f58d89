import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareTime, dayNumber, dayOfWeek, formatDayNumber, isValidDate, isValidTime, normalizeTime, timeOfDayMs } from './calendar.ts';

const dayArb = fc.integer({ min: 0, max: dayNumber('9999-12-31') });

describe('dates', () => {
  it.each([
    ['2026-02-02', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1970-01-01', true],
    ['9999-12-31', true],
    ['2026-02-29', false],
    ['1900-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-04-31', false],
    ['1969-12-31', false],
    ['2026-2-2', false],
    ['2026-02-02T00:00', false],
    [' 2026-02-02', false],
    ['', false],
  ])('isValidDate(%j) is %s', (date, valid) => {
    expect(isValidDate(date)).toBe(valid);
  });

  it.each([
    ['2026-02-02', 0], // a Monday
    ['2026-02-07', 5],
    ['2026-02-08', 6],
    ['1970-01-01', 3],
    ['2000-01-01', 5],
  ])('dayOfWeek(%j) is %i (0 = Monday)', (date, dow) => {
    expect(dayOfWeek(date)).toBe(dow);
  });

  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-31', 30, '2026-03-02'],
  ])('addDays(%j, %i) is %j', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('refuses to leave the supported years or take fractional days', () => {
    expect(() => addDays('1970-01-01', -1)).toThrow(expect.objectContaining({ code: 'TIME.INVALID_DATETIME' }));
    expect(() => addDays('2026-01-01', 0.5)).toThrow(expect.objectContaining({ code: 'TIME.INVALID_DATETIME' }));
    expect(() => dayOfWeek('2026-02-30')).toThrow(expect.objectContaining({ code: 'TIME.INVALID_DATETIME' }));
  });

  it('agrees with Date on every day number (property)', () => {
    fc.assert(
      fc.property(dayArb, (day) => {
        const date = formatDayNumber(day);
        expect(dayNumber(date)).toBe(day);
        expect(dayOfWeek(date)).toBe((new Date(day * 86_400_000).getUTCDay() + 6) % 7);
      }),
    );
  });

  it('adds days as day numbers add (property)', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -400, max: 400 }), (day, n) => {
        fc.pre(day + n >= 0 && day + n <= dayNumber('9999-12-31'));
        const date = formatDayNumber(day);
        expect(addDays(date, n)).toBe(formatDayNumber(day + n));
        expect(addDays(addDays(date, n), -n)).toBe(date);
        expect(dayOfWeek(addDays(date, n))).toBe((((dayOfWeek(date) + n) % 7) + 7) % 7);
      }),
    );
  });
});

describe('times of day', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 9.5 * 3_600_000],
    ['09:30:15', 9.5 * 3_600_000 + 15_000],
    ['23:59:59', 86_399_000],
    ['24:00', 86_400_000],
    ['24:00:00', 86_400_000],
  ])('%j is %i ms after midnight', (time, ms) => {
    expect(isValidTime(time)).toBe(true);
    expect(timeOfDayMs(time)).toBe(ms);
  });

  it.each(['24:00:01', '24:01', '25:00', '12:60', '12:00:60', '9:00', '09:0', '0900', '09:00:00.5', '', '-1:00'])('refuses %j', (time) => {
    expect(isValidTime(time)).toBe(false);
  });

  it.each([
    ['09:00', '09:00:00', 0],
    ['09:00', '10:00', -1],
    ['24:00', '23:59:59', 1],
  ])('compareTime(%j, %j) is %i', (a, b, sign) => {
    expect(compareTime(a, b)).toBe(sign);
  });

  it('normalizes to HH:MM:SS and refuses invalid times', () => {
    expect(normalizeTime('09:00')).toBe('09:00:00');
    expect(normalizeTime('24:00')).toBe('24:00:00');
    expect(normalizeTime('09:00:30')).toBe('09:00:30');
    expect(() => normalizeTime('9:00')).toThrow(expect.objectContaining({ code: 'TIME.INVALID_DATETIME' }));
    expect(() => compareTime('10:00', 'x')).toThrow(expect.objectContaining({ code: 'TIME.INVALID_DATETIME' }));
  });

  it('orders times as their values order (property)', () => {
    const timeArb = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.boolean());
    const text = ([h, m, s, withSeconds]: [number, number, number, boolean]) =>
      `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}${withSeconds ? `:${String(s).padStart(2, '0')}` : ''}`;
    fc.assert(
      fc.property(timeArb, timeArb, (a, b) => {
        const value = ([h, m, s, withSeconds]: [number, number, number, boolean]) => h * 3600 + m * 60 + (withSeconds ? s : 0);
        expect(compareTime(text(a), text(b))).toBe(Math.sign(value(a) - value(b)));
        expect(compareTime(text(a), '24:00')).toBe(-1);
      }),
    );
  });
});
