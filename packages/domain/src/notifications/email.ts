/**
 * What each email says, as plain data the worker's templates lay out. Times are shown in the
 * recipient's own zone, with the zone named; names are cleaned of control characters so nothing a
 * user typed can break a header line. Pure: formatting uses Intl with an explicit zone and locale.
 */
import type { Role } from '../users/user.ts';
import type { Instant } from '../scheduling/types.ts';
import type { CalendarMethod } from '../calendar/ics.ts';
import type { Appointment } from '../appointments/appointment.ts';
import type { ServiceLabel } from '../services/service.ts';
import { calendarMethodFor, type NotificationDetails, type NotificationKind } from './plan.ts';

export interface EmailPerson {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly timezone: string;
  readonly role: Role;
}

/** An interval as one person reads it, e.g. "Tuesday, 1 December 2026, 14:00–15:00 (Europe/Berlin, CET)". */
export interface LocalInterval {
  readonly date: string;
  readonly start: string;
  readonly end: string;
  /** The IANA zone and its abbreviation (or GMT offset) at the start, e.g. `Europe/Berlin` and `CET`. */
  readonly zone: string;
  readonly zoneName: string;
  readonly text: string;
}

export interface EmailContent {
  readonly kind: NotificationKind;
  readonly appointmentId: number;
  readonly subject: string;
  /** One line under the greeting: what happened, in words. */
  readonly headline: string;
  readonly recipient: { readonly name: string; readonly email: string };
  /** The other party: the staff member for a client, the client for a staff member. */
  readonly counterpart: { readonly name: string; readonly role: Role };
  readonly when: LocalInterval;
  /** A reschedule: the time it had before. */
  readonly previously: LocalInterval | null;
  /** A cancellation: who cancelled ("you" when the recipient did; an API key by its name). */
  readonly cancelledBy: string | null;
  readonly reason: string | null;
  readonly notes: string | null;
  /** The service booked, null for an appointment booked by its times alone. */
  readonly service: string | null;
  /** Where it takes place, when its service says. */
  readonly location: string | null;
  /** The iTIP method of the .ics attached to this email. */
  readonly method: CalendarMethod;
}

export interface EmailInput {
  readonly kind: NotificationKind;
  /** `service`: absent or null for an appointment booked by its times alone. */
  readonly appointment: Pick<Appointment, 'id' | 'start' | 'end' | 'notes'> & { readonly service?: ServiceLabel | null };
  readonly details: NotificationDetails;
  readonly recipient: EmailPerson;
  readonly counterpart: EmailPerson;
  /** NOTES_IN_NOTIFICATIONS: false keeps the appointment's notes out of the email. Absent: true. */
  readonly includeNotes?: boolean;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line of plain text: control characters (CR, LF, …) become spaces, runs of space collapse. */
export function oneLine(value: string): string {
  return value.toWellFormed().replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

interface ZoneFormats {
  readonly day: Intl.DateTimeFormat;
  readonly time: Intl.DateTimeFormat;
  readonly zoneName: Intl.DateTimeFormat;
}

/** Building an Intl.DateTimeFormat costs far more than formatting with one, so each zone's are built once. */
const zoneFormats = new Map<string, ZoneFormats>();

function formatsFor(zone: string): ZoneFormats {
  let formats = zoneFormats.get(zone);
  if (!formats) {
    formats = {
      day: new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      time: new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      zoneName: new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }),
    };
    zoneFormats.set(zone, formats);
  }
  return formats;
}

/** Formats `[start, end)` in `zone`; the end gets its date too when it falls on another day. */
export function localInterval(start: Instant, end: Instant, zone: string): LocalInterval {
  const { day, time, zoneName: names } = formatsFor(zone);
  const zoneNameAt = (instant: Instant) => names.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? zone;
  const zoneName = zoneNameAt(start);
  const endZoneName = zoneNameAt(end);
  const date = day.format(start);
  const endDate = day.format(end);
  const endText = endDate === date ? time.format(end) : `${endDate}, ${time.format(end)}`;
  return {
    date,
    start: time.format(start),
    end: endText,
    zone,
    zoneName,
    // Across a DST change each end names its own offset, or one of them would read wrong.
    text:
      endZoneName === zoneName
        ? `${date}, ${time.format(start)}–${endText} (${zone}, ${zoneName})`
        : `${date}, ${time.format(start)} ${zoneName}–${endText} ${endZoneName} (${zone})`,
  };
}

/** `what`: "appointment with Jane Client", or the service's name in place of "appointment". */
const SUBJECT: Readonly<Record<NotificationKind, (what: string, when: LocalInterval) => string>> = {
  confirmation: (what, when) => `Confirmed: ${what} on ${when.date} at ${when.start}`,
  reschedule: (what, when) => `Rescheduled: ${what} now on ${when.date} at ${when.start}`,
  cancellation: (what, when) => `Cancelled: ${what} on ${when.date} at ${when.start}`,
  reminder: (what, when) => `Reminder: ${what} on ${when.date} at ${when.start}`,
};

const HEADLINE: Readonly<Record<NotificationKind, string>> = {
  confirmation: 'Your appointment is booked.',
  reschedule: 'Your appointment has moved to a new time.',
  cancellation: 'Your appointment has been cancelled.',
  reminder: 'A reminder of your upcoming appointment.',
};

/** The content of one email to one party; `reason` and `notes` stay multi-line (the templates escape them). */
export function composeEmail(input: EmailInput): EmailContent {
  const { kind, appointment, details, recipient, counterpart, includeNotes = true } = input;
  const zone = recipient.timezone;
  const counterpartName = oneLine(counterpart.name);
  const previously =
    details.previousStart !== undefined && details.previousEnd !== undefined ? localInterval(details.previousStart, details.previousEnd, zone) : null;
  // A cancellation with a previous time went to the staff member an appointment moved away from: the time it had with them.
  const when = kind === 'cancellation' && previously ? previously : localInterval(appointment.start, appointment.end, zone);
  const by = details.cancelledBy;
  const cancelledBy = by === undefined ? null : by.id === recipient.id ? 'you' : `${oneLine(by.name)} (${by.id === null ? 'API key' : by.role})`;
  const service = appointment.service ? oneLine(appointment.service.name) : null;
  return {
    kind,
    appointmentId: appointment.id,
    subject: SUBJECT[kind](`${service ?? 'appointment'} with ${counterpartName}`, when),
    headline: HEADLINE[kind],
    recipient: { name: oneLine(recipient.name), email: recipient.email },
    counterpart: { name: counterpartName, role: counterpart.role },
    when,
    previously,
    cancelledBy,
    reason: details.reason?.toWellFormed() || null,
    notes: (includeNotes && appointment.notes?.toWellFormed()) || null,
    service,
    location: (appointment.service?.location && oneLine(appointment.service.location)) || null,
    method: calendarMethodFor(kind),
  };
}
