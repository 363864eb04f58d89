import { describe, expect, it } from 'vitest';
import { composeEmail, oneLine, type EmailInput, type EmailPerson } from './email.ts';
import { en } from './messages/en.ts';
import { NOTIFICATION_KINDS, type NotificationDetails, type NotificationKind } from './plan.ts';

const client: EmailPerson = { id: 1, name: 'Ana Client', email: 'ana@example.com', timezone: 'Europe/Berlin', role: 'client' };
const staff: EmailPerson = { id: 2, name: 'Dr. Sam Staff', email: 'sam@example.com', timezone: 'America/New_York', role: 'staff' };
const start = Date.parse('2026-12-01T13:00:00Z');
const DAY = 86_400_000;
const appointment = { id: 7, start, end: start + 3_600_000, notes: null };
const branding = { name: 'Sunrise Clinic', address: 'Torstraße 1\n10119 Berlin', phone: '+49 30 123456', url: 'https://sunrise.example', logoUrl: 'https://sunrise.example/logo.png' };

const DETAILS: Record<NotificationKind, NotificationDetails> = {
  confirmation: {},
  reschedule: { previousStart: start - DAY, previousEnd: start - DAY + 3_600_000, reason: 'Clash' },
  cancellation: { cancelledBy: { id: 2, name: 'Dr. Sam Staff', role: 'staff' }, reason: 'Ill' },
  reminder: {},
};
const compose = (kind: NotificationKind, more: Partial<EmailInput> = {}) =>
  composeEmail({ kind, appointment, details: DETAILS[kind], recipient: client, counterpart: staff, ...more });

describe('composeEmail in English', () => {
  it.each([
    ['confirmation', 'Confirmed: appointment with Dr. Sam Staff on Tuesday, 1 December 2026 at 14:00', 'Your appointment is booked.'],
    ['reschedule', 'Rescheduled: appointment with Dr. Sam Staff now on Tuesday, 1 December 2026 at 14:00', 'Your appointment has moved to a new time.'],
    ['cancellation', 'Cancelled: appointment with Dr. Sam Staff on Tuesday, 1 December 2026 at 14:00', 'Your appointment has been cancelled.'],
    ['reminder', 'Reminder: appointment with Dr. Sam Staff on Tuesday, 1 December 2026 at 14:00', 'A reminder of your upcoming appointment.'],
  ] as const)('%s: subject, headline, the zone by name and offset, the default footer', (kind, subject, headline) => {
    const email = compose(kind);
    expect(email).toMatchObject({ language: 'en', subject, headline, greeting: 'Hello Ana Client,', counterpart: { name: 'Dr. Sam Staff' } });
    expect(email.when.text).toBe('Tuesday, 1 December 2026, 14:00–15:00 Central European Standard Time (UTC+1)');
    expect(email.labels).toMatchObject({ when: 'When', where: 'Where', notes: 'Notes', with: 'With' });
    expect(email.footer).toEqual(['Sent by the appointment system.', 'The attached calendar file keeps your calendar up to date.']);
    expect(email.organization).toEqual({ name: null, address: null, phone: null, url: null, logoUrl: null });
  });

  it('to the staff member: their zone, the client named', () => {
    const email = compose('confirmation', { recipient: staff, counterpart: client });
    expect(email.subject).toBe('Confirmed: appointment with Ana Client on Tuesday, 1 December 2026 at 08:00');
    expect(email).toMatchObject({ method: 'REQUEST', counterpart: { name: 'Ana Client', role: 'client' }, previously: null, cancelledBy: null });
    expect(email.when).toMatchObject({ zone: 'America/New_York', zoneName: 'Eastern Standard Time (UTC-5)' });
  });

  it('names the service in place of "appointment" and shows its location, each on one line', () => {
    const service = { name: 'Haircut\r\nBcc: x', location: 'Room 2,\nTorstraße 1' };
    const email = compose('reminder', { appointment: { ...appointment, service } });
    expect(email.subject).toBe('Reminder: Haircut Bcc: x with Dr. Sam Staff on Tuesday, 1 December 2026 at 14:00');
    expect(email).toMatchObject({ service: 'Haircut Bcc: x', location: 'Room 2, Torstraße 1' });
    expect(compose('confirmation', { appointment: { ...appointment, service: { name: 'Call', location: null } } })).toMatchObject({ service: 'Call', location: null });
    expect(compose('confirmation', { appointment: { ...appointment, service: null } })).toMatchObject({ service: null, location: null });
  });

  it('a reschedule shows the old time too', () => {
    const email = compose('reschedule');
    expect(email.previously?.text).toBe('Monday, 30 November 2026, 14:00–15:00 Central European Standard Time (UTC+1)');
    expect(email.reason).toBe('Clash');
  });

  it('a cancellation names who cancelled without a role, "you" to the one who did', () => {
    expect(compose('cancellation')).toMatchObject({ cancelledBy: 'Dr. Sam Staff', method: 'CANCEL', reason: 'Ill' });
    expect(compose('cancellation', { recipient: staff, counterpart: client }).cancelledBy).toBe('you');
  });

  it("carries the manage link it is given (the client's), worded for what is left to do", () => {
    const manageUrl = 'https://clinic.example/booking/1.0.mac';
    expect(composeEmail({ kind: 'confirmation', appointment, details: {}, recipient: client, counterpart: staff, manageUrl })).toMatchObject({ manageUrl, manageLinkText: en.appointment.manageLink.manage });
    const details = { cancelledBy: { id: client.id, name: client.name, role: client.role }, reason: null };
    expect(composeEmail({ kind: 'cancellation', appointment, details, recipient: client, counterpart: staff, manageUrl }).manageLinkText).toBe(en.appointment.manageLink.view);
    expect(composeEmail({ kind: 'reminder', appointment, details: {}, recipient: staff, counterpart: client }).manageUrl).toBeNull();
  });

  it('a cancellation by an API key names the key, to both parties', () => {
    const details = { cancelledBy: { id: null, name: 'Front desk sync', role: 'admin' as const }, reason: null };
    for (const [recipient, counterpart] of [[client, staff], [staff, client]] as const) {
      expect(compose('cancellation', { details, recipient, counterpart }).cancelledBy).toBe('Front desk sync (API key)');
    }
  });

  it('a cancellation to the staff member an appointment moved away from is about the time it had with them', () => {
    const details = { previousStart: start - DAY, previousEnd: start - DAY + 3_600_000, reason: 'Clash' };
    const email = compose('cancellation', { details, recipient: staff, counterpart: client });
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

describe('composeEmail in German', () => {
  it.each([
    ['confirmation', 'Bestätigt: Termin mit Dr. Sam Staff am Dienstag, 1. Dezember 2026 um 14:00', 'Ihr Termin ist gebucht.'],
    ['reschedule', 'Verschoben: Termin mit Dr. Sam Staff jetzt am Dienstag, 1. Dezember 2026 um 14:00', 'Ihr Termin wurde auf eine neue Zeit verschoben.'],
    ['cancellation', 'Abgesagt: Termin mit Dr. Sam Staff am Dienstag, 1. Dezember 2026 um 14:00', 'Ihr Termin wurde abgesagt.'],
    ['reminder', 'Erinnerung: Termin mit Dr. Sam Staff am Dienstag, 1. Dezember 2026 um 14:00', 'Eine Erinnerung an Ihren bevorstehenden Termin.'],
  ] as const)('%s: subject, headline, labels, the zone in German', (kind, subject, headline) => {
    const email = compose(kind, { locale: 'de' });
    expect(email).toMatchObject({ language: 'de', subject, headline, greeting: 'Guten Tag Ana Client,' });
    expect(email.when.text).toBe('Dienstag, 1. Dezember 2026, 14:00–15:00 Mitteleuropäische Normalzeit (UTC+1)');
    expect(email.labels).toMatchObject({ when: 'Wann', where: 'Wo', notes: 'Notizen', with: 'Mit' });
    expect(email.footer).toEqual(['Gesendet vom Terminsystem.', 'Die angehängte Kalenderdatei hält Ihren Kalender auf dem neuesten Stand.']);
  });

  it('a regional tag takes its base language, a language not shipped English', () => {
    expect(compose('confirmation', { locale: 'de-AT' })).toMatchObject({ language: 'de', greeting: 'Guten Tag Ana Client,' });
    expect(compose('confirmation', { locale: 'fr-FR' })).toMatchObject({ language: 'en', greeting: 'Hello Ana Client,' });
  });

  it('who cancelled: "Ihnen", an API key as such, a person by name alone', () => {
    expect(compose('cancellation', { locale: 'de' }).cancelledBy).toBe('Dr. Sam Staff');
    expect(compose('cancellation', { locale: 'de', recipient: staff, counterpart: client }).cancelledBy).toBe('Ihnen');
    const details = { cancelledBy: { id: null, name: 'Sync', role: 'admin' as const }, reason: null };
    expect(compose('cancellation', { locale: 'de', details }).cancelledBy).toBe('Sync (API-Schlüssel)');
  });

  it('the service and the staff member’s zone', () => {
    const email = compose('reminder', { locale: 'de', recipient: staff, counterpart: client, appointment: { ...appointment, service: { name: 'Haarschnitt', location: null } } });
    expect(email.subject).toBe('Erinnerung: Haarschnitt mit Ana Client am Dienstag, 1. Dezember 2026 um 08:00');
    expect(email.when.zoneName).toBe('Nordamerikanische Ostküsten-Normalzeit (UTC-5)');
  });
});

describe('composeEmail with branding', () => {
  it.each([
    ['en', 'confirmation', 'Your appointment with Sunrise Clinic is confirmed: Tuesday, 1 December 2026 at 14:00', 'Sent by Sunrise Clinic.'],
    ['en', 'reschedule', 'Your appointment with Sunrise Clinic has moved to Tuesday, 1 December 2026 at 14:00', 'Sent by Sunrise Clinic.'],
    ['en', 'cancellation', 'Your appointment with Sunrise Clinic on Tuesday, 1 December 2026 at 14:00 is cancelled', 'Sent by Sunrise Clinic.'],
    ['en', 'reminder', 'Reminder: your appointment with Sunrise Clinic on Tuesday, 1 December 2026 at 14:00', 'Sent by Sunrise Clinic.'],
    ['de', 'confirmation', 'Ihr Termin bei Sunrise Clinic ist bestätigt: Dienstag, 1. Dezember 2026 um 14:00', 'Gesendet von Sunrise Clinic.'],
    ['de', 'reschedule', 'Ihr Termin bei Sunrise Clinic wurde auf Dienstag, 1. Dezember 2026 um 14:00 verschoben', 'Gesendet von Sunrise Clinic.'],
    ['de', 'cancellation', 'Ihr Termin bei Sunrise Clinic am Dienstag, 1. Dezember 2026 um 14:00 wurde abgesagt', 'Gesendet von Sunrise Clinic.'],
    ['de', 'reminder', 'Erinnerung: Ihr Termin bei Sunrise Clinic am Dienstag, 1. Dezember 2026 um 14:00', 'Gesendet von Sunrise Clinic.'],
  ] as const)('%s %s: a client’s subject names the organisation, not the service or the person; the footer names it too', (locale, kind, subject, sentBy) => {
    const service = { name: 'Psychotherapy', location: null };
    const email = compose(kind, { locale, branding, appointment: { ...appointment, service } });
    expect(email.subject).toBe(subject);
    expect(email.subject).not.toMatch(/Psychotherapy|Sam Staff/);
    expect(email.footer[0]).toBe(sentBy);
    expect(email.organization).toEqual(branding);
  });

  it('staff still read the service and the client’s name', () => {
    const email = compose('confirmation', { branding, recipient: staff, counterpart: client });
    expect(email.subject).toBe('Confirmed: appointment with Ana Client on Tuesday, 1 December 2026 at 08:00');
    expect(email.footer[0]).toBe('Sent by Sunrise Clinic.');
  });

  it('one-line parts lose line breaks; the address keeps its lines', () => {
    const email = compose('confirmation', { branding: { name: 'Sunrise\r\nClinic', address: ' Torstraße 1\n10119 Berlin ', phone: null } });
    expect(email.organization).toEqual({ name: 'Sunrise Clinic', address: 'Torstraße 1\n10119 Berlin', phone: null, url: null, logoUrl: null });
  });
});

it('every kind composes in every shipped language', () => {
  for (const kind of NOTIFICATION_KINDS) for (const locale of ['en', 'de']) expect(compose(kind, { locale }).subject).not.toBe('');
});
