import { describe, expect, it } from 'vitest';
import { localInterval } from './local-time.ts';

const start = Date.parse('2026-12-01T13:00:00Z');
const HOUR = 3_600_000;

describe('localInterval', () => {
  it('shows the time in the given zone and names the zone by name and offset, not by id', () => {
    expect(localInterval(start, start + HOUR, 'Europe/Berlin').text).toBe('Tuesday, 1 December 2026, 14:00–15:00 Central European Standard Time (UTC+1)');
    expect(localInterval(start, start + HOUR, 'America/New_York').text).toBe('Tuesday, 1 December 2026, 08:00–09:00 Eastern Standard Time (UTC-5)');
    expect(localInterval(start, start + HOUR, 'Asia/Kolkata').zoneName).toBe('India Standard Time (UTC+5:30)');
    expect(localInterval(start, start + HOUR, 'UTC').zoneName).toBe('Coordinated Universal Time (UTC)');
    // A zone with no name of its own shows its offset alone.
    expect(localInterval(start, start + HOUR, 'Etc/GMT+5').zoneName).toBe('UTC-5');
  });

  it('in German', () => {
    expect(localInterval(start, start + HOUR, 'Europe/Berlin', 'de-DE').text).toBe('Dienstag, 1. Dezember 2026, 14:00–15:00 Mitteleuropäische Normalzeit (UTC+1)');
  });

  it('in a regional locale: a US reader gets a 12-hour clock and month first', () => {
    // ICU's space before AM varies by version (a narrow no-break space in recent ones).
    expect(localInterval(start, start + HOUR, 'America/New_York', 'en-US')).toMatchObject({ date: 'Tuesday, December 1, 2026', start: expect.stringMatching(/^8:00\sAM$/) });
  });

  it('follows DST: the same UTC hour reads differently in summer, with the summer name and offset', () => {
    const summer = Date.parse('2026-07-01T13:00:00Z');
    expect(localInterval(summer, summer + HOUR / 2, 'America/New_York')).toMatchObject({ start: '09:00', end: '09:30', zoneName: 'Eastern Daylight Time (UTC-4)' });
    expect(localInterval(summer, summer + HOUR, 'Europe/Berlin', 'de-DE').zoneName).toBe('Mitteleuropäische Sommerzeit (UTC+2)');
  });

  it('names each end’s zone when the interval crosses a DST change', () => {
    const night = Date.parse('2026-03-29T00:30:00Z'); // 01:30 CET; clocks go forward at 02:00
    expect(localInterval(night, night + 2 * HOUR, 'Europe/Berlin').text).toBe(
      'Sunday, 29 March 2026, 01:30 Central European Standard Time (UTC+1) – 04:30 Central European Summer Time (UTC+2)',
    );
  });

  it('gives the end its own date when it falls on another day', () => {
    const late = Date.parse('2026-12-01T22:30:00Z');
    expect(localInterval(late, late + HOUR, 'Europe/Berlin').text).toBe('Tuesday, 1 December 2026, 23:30–Wednesday, 2 December 2026, 00:30 Central European Standard Time (UTC+1)');
  });
});
