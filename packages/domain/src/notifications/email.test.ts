import { describe, expect, it } from 'vitest';
import { composeEmail, localInterval, oneLine, type EmailPerson } from './email.ts';

const client: EmailPerson = { id: 1, name: 'Ana Client', email: 'ana@example.com', timezone: 'Europe/Berlin', role: 'client' };
const staff: EmailPerson = { id: 2, name: 'Dr. Sam Staff', email: 'sam@example.com', timezone: 'America/New_York', role: 'staff' };
const start = Date.parse('2026-12-01T13:00:00Z');
const appointment = { id: 7, start, end: start + 3_600_000, notes: null };

describe('localInterval', () => {
  it('shows the time in the given zone and names the zone', () => {
    expect(localInterval(start, start + 3_600_000, 'Europe/Berlin').text).toBe('Tuesday, 1 December 2026, 14:00–15:00 (Europe/Berlin, GMT+1)');
    expect(localInterval(start, start + 3_600_000, 'America/New_York').text).toBe('Tuesday, 1 December 2026, 08:00–09:00 (America/New_York, EST)');
  });
  it('follows DST: the same UTC hour reads differently in summer', () => {
    const summer = Date.parse('2026-07-01T13:00:00Z');
    expect(localInterval(summer, summer + 1_800_000, 'America/New_York')).toMatchObject({ start: '09:00', end: '09:30', zoneName: 'EDT' });
  });
  it('names each end’s offset when the interval crosses a DST change', () => {
    const night = Date.parse('2026-03-29T00:30:00Z'); // 01:30 CET; clocks go forward at 02:00
    expect(localInterval(night, night + 2 * 3_600_000, 'Europe/Berlin').text).toBe('Sunday, 29 March 2026, 01:30 GMT+1–04:30 GMT+2 (Europe/Berlin)');
  });

  it('gives the end its own date when it falls on another day', () => {
    const late = Date.parse('2026-12-01T22:30:00Z');
    expect(localInterval(late, late + 3_600_000, 'Europe/Berlin').text).toBe('Tuesday, 1 December 2026, 23:30–Wednesday, 2 December 2026, 00:30 (Europe/Berlin, GMT+1)');
  });
});

describe('composeEmail', () => {
  it('a confirmation in the recipient’s zone, naming the other party', () => {
    const email = composeEmail({ kind: 'confirmation', appointment, details: {}, recipient: staff, counterpart: client });
    expect(email.subject).toBe('Confirmed: appointment with Ana Client on Tuesday, 1 December 2026 at 08:00');
    expect(email).toMatchObject({ method: 'REQUEST', counterpart: { name: 'Ana Client', role: 'client' }, previously: null, cancelledBy: null });
    expect(email.when.zone).toBe('America/New_York');
  });

  it('names the service in place of "appointment" and shows its location, each on one line', () => {
    const service = { name: 'Haircut\r\nBcc: x', location: 'Room 2,\nTorstraße 1' };
    const email = composeEmail({ kind: 'reminder', appointment: { ...appointment, service }, details: {}, recipient: client, counterpart: staff });
    expect(email.subject).toBe('Reminder: Haircut Bcc: x with Dr. Sam Staff on Tuesday, 1 December 2026 at 14:00');
    expect(email).toMatchObject({ service: 'Haircut Bcc: x', location: 'Room 2, Torstraße 1' });
    const nowhere = composeEmail({ kind: 'confirmation', appointment: { ...appointment, service: { name: 'Call', location: null } }, details: {}, recipient: client, counterpart: staff });
    expect(nowhere).toMatchObject({ subject: 'Confirmed: Call with Dr. Sam Staff on Tuesday, 1 December 2026 at 14:00', service: 'Call', location: null });
    const plain = composeEmail({ kind: 'confirmation', appointment: { ...appointment, service: null }, details: {}, recipient: client, counterpart: staff });
    expect(plain).toMatchObject({ subject: 'Confirmed: appointment with Dr. Sam Staff on Tuesday, 1 December 2026 at 14:00', service: null, location: null });
  });

  it('a reschedule shows the old time too', () => {
    const email = composeEmail({
      kind: 'reschedule',
      appointment,
      details: { previousStart: start - 86_400_000, previousEnd: start - 82_800_000, reason: 'Clash' },
      recipient: client,
      counterpart: staff,
    });
    expect(email.previously?.text).toBe('Monday, 30 November 2026, 14:00–15:00 (Europe/Berlin, GMT+1)');
    expect(email.reason).toBe('Clash');
    expect(email.subject.startsWith('Rescheduled:')).toBe(true);
  });

  it('a cancellation says who cancelled, "you" to the one who did', () => {
    const details = { cancelledBy: { id: 2, name: 'Dr. Sam Staff', role: 'staff' as const }, reason: 'Ill' };
    expect(composeEmail({ kind: 'cancellation', appointment, details, recipient: client, counterpart: staff })).toMatchObject({
      cancelledBy: 'Dr. Sam Staff (staff)',
      method: 'CANCEL',
    });
    expect(composeEmail({ kind: 'cancellation', appointment, details, recipient: staff, counterpart: client }).cancelledBy).toBe('you');
  });

  it('a cancellation by an API key names the key, to both parties', () => {
    const details = { cancelledBy: { id: null, name: 'Front desk sync', role: 'admin' as const }, reason: null };
    for (const [recipient, counterpart] of [[client, staff], [staff, client]] as const) {
      expect(composeEmail({ kind: 'cancellation', appointment, details, recipient, counterpart }).cancelledBy).toBe('Front desk sync (API key)');
    }
  });

  it('a cancellation to the staff member an appointment moved away from is about the time it had with them', () => {
    const details = { previousStart: start - 86_400_000, previousEnd: start - 82_800_000, reason: 'Clash' };
    const email = composeEmail({ kind: 'cancellation', appointment, details, recipient: staff, counterpart: client });
    expect(email.subject).toBe('Cancelled: appointment with Ana Client on Monday, 30 November 2026 at 08:00');
    expect(email).toMatchObject({ method: 'CANCEL', cancelledBy: null, reason: 'Clash' });
  });

  it('no name can carry a line break into the subject', () => {
    const hostile = { ...client, name: 'Eve\r\nBcc: victim@example.com\u2028x' };
    const email = composeEmail({ kind: 'reminder', appointment: { ...appointment, notes: 'line 1\nline 2' }, details: {}, recipient: staff, counterpart: hostile });
    expect(email.subject).not.toMatch(/[\r\n\u2028]/);
    expect(email.subject).toContain('Eve Bcc: victim@example.com x');
    expect(email.notes).toBe('line 1\nline 2');
    expect(oneLine('  a\t\tb \u0000 c ')).toBe('a b c');
  });

  it('carries the notes unless NOTES_IN_NOTIFICATIONS is off', () => {
    const noted = { ...appointment, notes: 'Allergic to latex' };
    expect(composeEmail({ kind: 'confirmation', appointment: noted, details: {}, recipient: client, counterpart: staff, includeNotes: true }).notes).toBe('Allergic to latex');
    expect(composeEmail({ kind: 'confirmation', appointment: noted, details: {}, recipient: client, counterpart: staff, includeNotes: false }).notes).toBeNull();
  });
});
