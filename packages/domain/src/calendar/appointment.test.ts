import { describe, expect, it } from 'vitest';
import { appointmentCalendarEvent, type CalendarAppointment } from './appointment.ts';

const staff = { id: 2, fullName: 'John Staff', email: 'john@example.com' };
const client = { id: 3, fullName: 'Jane Client', email: 'jane@example.com' };
const appointment: CalendarAppointment = { id: 1, sequence: 0, start: Date.UTC(2026, 1, 2, 9), end: Date.UTC(2026, 1, 2, 10), notes: null, status: 'scheduled', updatedAt: Date.UTC(2026, 0, 26, 8, 15) };
const haircut = { name: 'Haircut', location: 'Room 2, Torstraße 1, Berlin' };

describe('appointmentCalendarEvent', () => {
  it.each([
    ['the client', client.id, 'Appointment with John Staff', 'Haircut with John Staff'],
    ['the staff member', staff.id, 'Appointment with Jane Client', 'Haircut with Jane Client'],
    ['anyone else', 1, 'Jane Client with John Staff', 'Haircut: Jane Client with John Staff'],
    ['an API key (no user id)', null, 'Jane Client with John Staff', 'Haircut: Jane Client with John Staff'],
  ])('names the other party to %s, and the service in place of "Appointment"', (_viewer, viewerId, plain, withService) => {
    expect(appointmentCalendarEvent(appointment, { staff, client }, viewerId, { uidDomain: 'h.example' }).summary).toBe(plain);
    expect(appointmentCalendarEvent({ ...appointment, service: null }, { staff, client }, viewerId, { uidDomain: 'h.example' }).summary).toBe(plain);
    expect(appointmentCalendarEvent({ ...appointment, service: haircut }, { staff, client }, viewerId, { uidDomain: 'h.example' }).summary).toBe(withService);
  });

  it("carries the service's location, and none without one", () => {
    expect(appointmentCalendarEvent({ ...appointment, service: haircut }, { staff, client }, client.id, { uidDomain: 'h.example' }).location).toBe(haircut.location);
    expect(appointmentCalendarEvent({ ...appointment, service: { name: 'Call', location: null } }, { staff, client }, client.id, { uidDomain: 'h.example' }).location).toBeNull();
    expect(appointmentCalendarEvent(appointment, { staff, client }, client.id, { uidDomain: 'h.example' }).location).toBeNull();
  });

  it('names the organisation as the organiser, at the staff member’s address, when one is set', () => {
    expect(appointmentCalendarEvent(appointment, { staff, client }, client.id, { uidDomain: 'h.example', organizationName: 'Sunrise Clinic' }).organizer).toEqual({
      name: 'Sunrise Clinic',
      email: staff.email,
    });
    expect(appointmentCalendarEvent(appointment, { staff, client }, client.id, { uidDomain: 'h.example', organizationName: null }).organizer).toEqual({ name: 'John Staff', email: staff.email });
  });

  it('carries the notes as its description unless NOTES_IN_CALENDAR is off', () => {
    const noted = { ...appointment, notes: 'Allergic to latex' };
    expect(appointmentCalendarEvent(noted, { staff, client }, client.id, { uidDomain: 'h.example' }).description).toBe('Allergic to latex');
    expect(appointmentCalendarEvent(noted, { staff, client }, client.id, { uidDomain: 'h.example', includeNotes: false }).description).toBeNull();
  });
});
