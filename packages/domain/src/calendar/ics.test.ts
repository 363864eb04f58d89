import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { appointmentUid, buildCalendar, type CalendarEvent } from './ics.ts';

// Everything is read back with ical.js, an independent parser, never with ical-generator.

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const HOUR = 3_600_000;

function event(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: appointmentUid(1, 'appointments.example'),
    sequence: 0,
    start: Date.UTC(2030, 0, 2, 9, 0, 0),
    end: Date.UTC(2030, 0, 2, 10, 0, 0),
    summary: 'Haircut',
    description: 'Bring the voucher.',
    organizer: { name: 'Sam Staff', email: 'sam@appointments.example' },
    attendee: { name: 'Cleo Client', email: 'cleo@example.org' },
    status: 'CONFIRMED',
    lastModified: Date.UTC(2029, 11, 31, 8, 30, 0),
    ...overrides,
  };
}

function parse(ics: string) {
  return new ICAL.Component(ICAL.parse(ics));
}

function vevents(ics: string) {
  return parse(ics).getAllSubcomponents('vevent');
}

function only(ics: string) {
  const all = vevents(ics);
  expect(all).toHaveLength(1);
  return all[0]!;
}

function instantOf(component: ICAL.Component, name: string): number {
  const value = component.getFirstPropertyValue(name);
  if (!(value instanceof ICAL.Time)) throw new Error(`${name} is not a date-time`);
  expect(value.zone?.tzid).toBe('UTC');
  return value.toJSDate().getTime();
}

function party(component: ICAL.Component, name: string) {
  const property = component.getFirstProperty(name);
  if (property === null) throw new Error(`${name} missing`);
  return { value: property.getFirstValue(), cn: property.getParameter('cn') };
}

const lf = (s: string) => s.replace(/\r\n|\r/g, '\n');

function rawLines(ics: string): string[] {
  expect(ics.endsWith('\r\n')).toBe(true);
  return ics.slice(0, -2).split('\r\n');
}

const HOSTILE = [
  'line one\nline two\r\nline three\rline four',
  'commas, semicolons; backslashes \\ and \\n literally, "quotes" and: colons',
  'END:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@attacker\r\nEND:VEVENT',
  'END:VCALENDAR\nBEGIN:VCALENDAR',
  'Zoë, Søren, 東京, emoji 👩‍👩‍👧‍👦 and 🎉; ünïcödé',
  'x'.repeat(500),
  '€'.repeat(300) + '😀'.repeat(100),
  '  leading and trailing spaces  \t',
  '',
];

describe('appointmentUid', () => {
  it('is appointment-<id>@<host>, the same every time', () => {
    expect(appointmentUid(42, 'appointments.example')).toBe('appointment-42@appointments.example');
    expect(appointmentUid(42, 'appointments.example')).toBe(appointmentUid(42, 'appointments.example'));
  });

  it('rejects ids and hosts that could not be a stable plain UID', () => {
    for (const id of [0, -1, 1.5, Number.NaN]) expect(() => appointmentUid(id, 'h.example')).toThrow(DomainError);
    for (const host of ['', 'a b', 'a\r\nUID:x', 'a;b', 'a,b', 'a\\b', 'x@y', 'hôst']) expect(() => appointmentUid(1, host)).toThrow(DomainError);
  });
});

describe('buildCalendar', () => {
  it('writes every field of an event, in UTC', () => {
    const e = event({ sequence: 3 });
    const ics = buildCalendar([e], { name: 'Bookings', now: NOW });
    const calendar = parse(ics);
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Appointments//Appointment Scheduler//EN');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Bookings');

    const v = only(ics);
    expect(v.getFirstPropertyValue('uid')).toBe('appointment-1@appointments.example');
    expect(v.getFirstPropertyValue('sequence')).toBe(3);
    expect(instantOf(v, 'dtstart')).toBe(e.start);
    expect(instantOf(v, 'dtend')).toBe(e.end);
    expect(instantOf(v, 'dtstamp')).toBe(NOW);
    expect(instantOf(v, 'last-modified')).toBe(e.lastModified);
    expect(v.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(v.getFirstPropertyValue('summary')).toBe('Haircut');
    expect(v.getFirstPropertyValue('description')).toBe('Bring the voucher.');
    expect(party(v, 'organizer')).toEqual({ value: 'mailto:sam@appointments.example', cn: 'Sam Staff' });
    expect(party(v, 'attendee')).toEqual({ value: 'MAILTO:cleo@example.org', cn: 'Cleo Client' });
    expect(v.getAllProperties('attendee')).toHaveLength(1);
    // Times are literally UTC, not floating or zoned.
    expect(ics).toContain('\r\nDTSTART:20300102T090000Z\r\n');
    expect(ics).toContain('\r\nDTEND:20300102T100000Z\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20300101T120000Z\r\n');
  });

  it('writes a cancelled event as STATUS:CANCELLED', () => {
    expect(only(buildCalendar([event({ status: 'CANCELLED', sequence: 1 })], { name: 'c', now: NOW })).getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('leaves DESCRIPTION out when there is none', () => {
    for (const description of [null, '']) {
      const ics = buildCalendar([event({ description })], { name: 'c', now: NOW });
      expect(only(ics).getFirstProperty('description')).toBeNull();
      expect(ics).not.toContain('DESCRIPTION');
    }
  });

  it('writes LOCATION escaped as TEXT, as RFC 5545 says; none (absent, null, empty) leaves it out', () => {
    const location = 'Room 2, Torstraße 1; Berlin \\ back';
    const ics = buildCalendar([event({ location })], { name: 'c', now: NOW });
    expect(rawLines(ics)).toContain('LOCATION:Room 2\\, Torstraße 1\\; Berlin \\\\ back');
    expect(only(ics).getFirstPropertyValue('location')).toBe(location);
    for (const none of [{}, { location: null }, { location: '' }]) expect(buildCalendar([event(none)], { name: 'c', now: NOW })).not.toContain('LOCATION');
  });

  it('writes exactly one VEVENT per event, and none for no events', () => {
    for (const n of [0, 1, 2, 7]) {
      const events = Array.from({ length: n }, (_, i) => event({ uid: appointmentUid(i + 1, 'h.example'), sequence: i, start: NOW + i * HOUR, end: NOW + (i + 1) * HOUR }));
      const ics = buildCalendar(events, { name: 'c', now: NOW });
      const parsed = vevents(ics);
      expect(parsed).toHaveLength(n);
      expect(parsed.map((v) => v.getFirstPropertyValue('uid'))).toEqual(events.map((e) => e.uid));
      expect(parsed.map((v) => instantOf(v, 'dtstart'))).toEqual(events.map((e) => e.start));
      expect(ics.match(/^BEGIN:VEVENT$/gm) ?? []).toHaveLength(n);
    }
  });

  it('writes METHOD only when asked to', () => {
    expect(parse(buildCalendar([event()], { name: 'c', now: NOW })).getFirstProperty('method')).toBeNull();
    expect(buildCalendar([event()], { name: 'c', now: NOW })).not.toContain('METHOD');
    for (const method of ['PUBLISH', 'REQUEST', 'CANCEL'] as const) {
      expect(parse(buildCalendar([event()], { name: 'c', now: NOW, method })).getFirstPropertyValue('method')).toBe(method);
    }
  });

  it('round-trips hostile SUMMARY and DESCRIPTION text exactly, without breaking the structure', () => {
    for (const hostile of HOSTILE) {
      const ics = buildCalendar([event({ summary: hostile, description: `Notes:\n${hostile}` })], { name: 'c', now: NOW });
      const v = only(ics);
      // TEXT has one line break (`\n`): CRLF and CR come back as LF; everything else is exact.
      expect(v.getFirstPropertyValue('summary')).toBe(lf(hostile));
      expect(v.getFirstPropertyValue('description')).toBe(lf(`Notes:\n${hostile}`));
      expect(v.getFirstPropertyValue('uid')).toBe('appointment-1@appointments.example');
      expect(rawLines(ics).filter((l) => l === 'BEGIN:VEVENT' || l === 'END:VEVENT')).toEqual(['BEGIN:VEVENT', 'END:VEVENT']);
      expect(rawLines(ics).filter((l) => /^(BEGIN|END):VCALENDAR$/.test(l))).toEqual(['BEGIN:VCALENDAR', 'END:VCALENDAR']);
    }
  });

  it('keeps names on one line and round-trips the rest of them (RFC 6868 in CN)', () => {
    const organizer = { name: 'Dr. "Who", Jr.; ^caret\r\nEND:VEVENT\r\nBEGIN:VEVENT', email: 'who@example.com' };
    const attendee = { name: 'Zoë Ñandú 東京 😀', email: 'zoe@example.org' };
    const ics = buildCalendar([event({ organizer, attendee })], { name: 'Team; A, B\r\nEND:VCALENDAR', now: NOW });
    const v = only(ics);
    expect(party(v, 'organizer')).toEqual({ value: 'mailto:who@example.com', cn: 'Dr. "Who", Jr.; ^caret END:VEVENT BEGIN:VEVENT' });
    expect(party(v, 'attendee')).toEqual({ value: 'MAILTO:zoe@example.org', cn: 'Zoë Ñandú 東京 😀' });
    // ical.js does not type NAME (RFC 7986) or X-WR-CALNAME, so it hands back the escaped TEXT.
    expect(parse(ics).getFirstPropertyValue('x-wr-calname')).toBe('Team\\; A\\, B\\nEND:VCALENDAR');
    expect(parse(ics).getFirstPropertyValue('name')).toBe('Team\\; A\\, B\\nEND:VCALENDAR');
    expect(rawLines(ics).filter((l) => /^(BEGIN|END):/.test(l))).toEqual(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'END:VEVENT', 'END:VCALENDAR']);
  });

  it('drops control characters RFC 5545 does not allow in TEXT, and repairs lone surrogates', () => {
    const v = only(buildCalendar([event({ summary: 'a\u0000b\u0007c\u001bd\u007fe\tf', description: 'x\ud800y' })], { name: 'c', now: NOW }));
    expect(v.getFirstPropertyValue('summary')).toBe('abcde\tf');
    expect(v.getFirstPropertyValue('description')).toBe('x\ufffdy');
  });

  it('uses CRLF line endings and folds every line to at most 75 octets', () => {
    const ics = buildCalendar(
      HOSTILE.map((h, i) => event({ uid: appointmentUid(i + 1, 'h.example'), summary: h, description: h.repeat(3), organizer: { name: h || 'n', email: 'o@example.com' } })),
      { name: '€'.repeat(100), now: NOW, method: 'PUBLISH' },
    );
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = rawLines(ics);
    expect(lines.length).toBeGreaterThan(HOSTILE.length * 10);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    // Folding never splits a UTF-8 sequence (a split would surface as U+FFFD once decoded).
    expect(Buffer.from(ics, 'utf8').toString('utf8')).toBe(ics);
    expect(ics).not.toContain('\ufffd');
  });

  it('rejects input it cannot write faithfully', () => {
    const bad: Partial<CalendarEvent>[] = [
      { uid: '' },
      { uid: 'a b@h' },
      { uid: 'x\r\nEND:VEVENT' },
      { sequence: -1 },
      { sequence: 1.5 },
      { start: Date.UTC(2030, 0, 2, 10), end: Date.UTC(2030, 0, 2, 10) },
      { start: Date.UTC(2030, 0, 2, 11), end: Date.UTC(2030, 0, 2, 10) },
      { start: Number.NaN },
      { lastModified: Number.POSITIVE_INFINITY },
      { organizer: { name: 'x', email: 'x@example.com\r\nATTENDEE:mailto:evil@example.com' } },
      { attendee: { name: 'x', email: 'not-an-email' } },
      { attendee: { name: 'x', email: 'a,b@example.com' } },
      { attendee: { name: 'x', email: 'a\u0000b@example.com' } },
      { attendee: { name: ' \r\n ', email: 'a@example.com' } },
    ];
    for (const overrides of bad) expect(() => buildCalendar([event(overrides)], { name: 'c', now: NOW }), JSON.stringify(overrides)).toThrow(DomainError);
    expect(() => buildCalendar([event()], { name: 'c', now: Number.NaN })).toThrow(DomainError);
  });

  it('round-trips arbitrary Unicode notes and summaries (property)', () => {
    // RFC 5545 TEXT cannot hold control characters other than TAB; line breaks normalise to LF.
    const note = fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ''));
    fc.assert(
      fc.property(note, note, fc.constantFrom('\n', '\r\n', ',', ';', '\\', 'END:VEVENT'), (summary, notes, hostile) => {
        const description = `${notes}${hostile}${notes}`;
        const ics = buildCalendar([event({ summary, description })], { name: 'c', now: NOW });
        const v = only(ics);
        expect(v.getFirstPropertyValue('summary')).toBe(lf(summary));
        expect(v.getFirstPropertyValue('description') ?? '').toBe(lf(description));
        for (const line of rawLines(ics)) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      }),
      { numRuns: 300 },
    );
  });
});
