import type { Appointment } from '../appointments/appointment.ts';
import type { ServiceLabel } from '../services/service.ts';
import { appointmentUid, type CalendarEvent } from './ics.ts';

export interface CalendarPerson {
  readonly id: number;
  readonly fullName: string;
  readonly email: string;
}

/** `service`: the service booked, absent or null for an appointment booked by its times alone. */
export type CalendarAppointment = Pick<Appointment, 'id' | 'sequence' | 'start' | 'end' | 'notes' | 'status' | 'updatedAt'> & {
  readonly service?: ServiceLabel | null;
};

/**
 * Names the service (or "Appointment") and the other party: the client sees the staff member, the
 * staff member the client, anyone else (an API key, with no user id, too) both.
 */
function summaryFor(viewerId: number | null, staff: CalendarPerson, client: CalendarPerson, service: ServiceLabel | null): string {
  const what = service?.name ?? 'Appointment';
  if (viewerId === client.id) return `${what} with ${staff.fullName}`;
  if (viewerId === staff.id) return `${what} with ${client.fullName}`;
  return service ? `${service.name}: ${client.fullName} with ${staff.fullName}` : `${client.fullName} with ${staff.fullName}`;
}

/** What the deployment's settings add to every event (the API's exports and the worker's invitations must agree). */
export interface EventSettings {
  /** CALENDAR_UID_DOMAIN. */
  readonly uidDomain: string;
  /** ORGANIZATION_NAME: the organiser's display name, when set. */
  readonly organizationName?: string | null;
  /** NOTES_IN_CALENDAR: false keeps the appointment's notes out of the event (they travel to calendar providers). Absent: true. */
  readonly includeNotes?: boolean;
}

/**
 * An appointment as one person's calendar event, for the export routes and the email attachments
 * alike: the staff member organises, the client attends, and the UID never changes. With an
 * organisation named, ORGANIZER shows its name at the staff member's address: calendars show the
 * organiser as who the appointment is with, while RFC 5546 sends attendees' replies (accept,
 * decline) to that address, which must reach the person who holds the appointment, not a no-reply
 * mailbox.
 */
export function appointmentCalendarEvent(
  appointment: CalendarAppointment,
  people: { readonly staff: CalendarPerson; readonly client: CalendarPerson },
  viewerId: number | null,
  settings: EventSettings,
): CalendarEvent {
  const { staff, client } = people;
  const service = appointment.service ?? null;
  return {
    uid: appointmentUid(appointment.id, settings.uidDomain),
    sequence: appointment.sequence,
    start: appointment.start,
    end: appointment.end,
    summary: summaryFor(viewerId, staff, client, service),
    description: settings.includeNotes === false ? null : appointment.notes,
    location: service?.location ?? null,
    organizer: { name: settings.organizationName || staff.fullName, email: staff.email },
    attendee: { name: client.fullName, email: client.email },
    status: appointment.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    lastModified: appointment.updatedAt,
  };
}
