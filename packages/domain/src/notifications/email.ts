/**
 * What each email says, as plain data the worker's templates lay out: every word in the
 * recipient's language, times in their own zone with the zone named, the organisation's branding.
 * Names are cleaned of control characters so nothing a user typed can break a header line. Pure:
 * formatting uses Intl with an explicit zone and locale.
 */
import type { Role } from '../users/user.ts';
import type { CalendarMethod } from '../calendar/ics.ts';
import type { Appointment } from '../appointments/appointment.ts';
import type { ServiceLabel } from '../services/service.ts';
import { localInterval, type LocalInterval } from './local-time.ts';
import { localisationFor, type Language, type Messages } from './messages/index.ts';
import { calendarMethodFor, type NotificationDetails, type NotificationKind } from './plan.ts';

export interface EmailPerson {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly timezone: string;
  readonly role: Role;
}

/** The deployment's organisation, as its settings name it; every part optional. */
export interface Branding {
  readonly name?: string | null;
  readonly address?: string | null;
  readonly phone?: string | null;
  readonly url?: string | null;
  readonly logoUrl?: string | null;
}

/** Branding as templates read it: each part a line of text, or null. */
export type Organization = { readonly [K in keyof Branding]-?: string | null };

export interface EmailContent {
  readonly kind: NotificationKind;
  readonly appointmentId: number;
  /** The catalogue it is written from (the `lang` of the HTML). */
  readonly language: Language;
  readonly subject: string;
  /** "Hello Ana Client," */
  readonly greeting: string;
  /** One line under the greeting: what happened, in words. */
  readonly headline: string;
  /** The captions of the details ("When", "Where", …), in the recipient's language. */
  readonly labels: Messages['appointment']['labels'];
  /** Lines under the card: who sent it, what the attachment does. */
  readonly footer: readonly string[];
  readonly organization: Organization;
  readonly recipient: { readonly name: string; readonly email: string };
  /** The other party: the staff member for a client, the client for a staff member. */
  readonly counterpart: { readonly name: string; readonly role: Role };
  readonly when: LocalInterval;
  /** A reschedule: the time it had before. */
  readonly previously: LocalInterval | null;
  /** A cancellation: who cancelled, by name ("you" when the recipient did; an API key by its name). */
  readonly cancelledBy: string | null;
  readonly reason: string | null;
  readonly notes: string | null;
  /** The service booked, null for an appointment booked by its times alone. */
  readonly service: string | null;
  /** Where it takes place, when its service says. */
  readonly location: string | null;
  /** The iTIP method of the .ics attached to this email. */
  readonly method: CalendarMethod;
  /** The client's link to see, reschedule or cancel this version of the appointment; null for staff. */
  readonly manageUrl: string | null;
  readonly manageLinkText: string;
}

export interface EmailInput {
  readonly kind: NotificationKind;
  /** `service`: absent or null for an appointment booked by its times alone. */
  readonly appointment: Pick<Appointment, 'id' | 'start' | 'end' | 'notes'> & { readonly service?: ServiceLabel | null };
  readonly details: NotificationDetails;
  readonly recipient: EmailPerson;
  readonly counterpart: EmailPerson;
  /** The recipient's BCP 47 tag (their own, or the deployment's default); `en` when absent. */
  readonly locale?: string;
  readonly branding?: Branding;
  /** For the client only: the manage link of the version this email describes. */
  readonly manageUrl?: string | null;
  /** NOTES_IN_NOTIFICATIONS: false keeps the appointment's notes out of the email. Absent: true. */
  readonly includeNotes?: boolean;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line of plain text: control characters (CR, LF, …) become spaces, runs of space collapse. */
export function oneLine(value: string): string {
  return value.toWellFormed().replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

const line = (value: string | null | undefined): string | null => (value && oneLine(value)) || null;

/**
 * A client's subject names the organisation, when there is one, rather than the service and the
 * person: subjects show on lock screens and in notifications, and "Psychotherapy with Dr X" is the
 * client's business alone. Staff read the service and the client's name.
 */
function subjectOf(messages: Messages, input: EmailInput, when: LocalInterval, organization: string | null, service: string | null): string {
  const at = { date: when.date, time: when.start };
  if (organization && input.recipient.role === 'client') return messages.appointment.subjectWithOrganization[input.kind]({ ...at, organization });
  const counterpart = oneLine(input.counterpart.name);
  const what = service ? messages.appointment.what.service(service, counterpart) : messages.appointment.what.appointment(counterpart);
  return messages.appointment.subject[input.kind]({ ...at, what });
}

/** The deployment's branding as every email's template shows it: each part one line, or null. */
export function organizationOf(branding: Branding): Organization {
  return {
    name: line(branding.name),
    address: branding.address?.toWellFormed().trim() || null,
    phone: line(branding.phone),
    url: line(branding.url),
    logoUrl: line(branding.logoUrl),
  };
}

/** The content of one email to one party; `reason`, `notes` and the address stay multi-line (the templates escape them). */
export function composeEmail(input: EmailInput): EmailContent {
  const { kind, appointment, details, recipient, counterpart, branding = {}, includeNotes = true } = input;
  const { language, messages, formatLocale } = localisationFor(input.locale ?? 'en');
  const text = messages.appointment;
  const zone = recipient.timezone;
  const interval = (start: number, end: number) => localInterval(start, end, zone, formatLocale);
  const previously = details.previousStart !== undefined && details.previousEnd !== undefined ? interval(details.previousStart, details.previousEnd) : null;
  // A cancellation with a previous time went to the staff member an appointment moved away from: the time it had with them.
  const when = kind === 'cancellation' && previously ? previously : interval(appointment.start, appointment.end);
  const by = details.cancelledBy;
  const cancelledBy = by === undefined ? null : by.id === recipient.id ? text.cancelledByYou : by.id === null ? text.cancelledByApiKey(oneLine(by.name)) : oneLine(by.name);
  const service = line(appointment.service?.name);
  const organization = organizationOf(branding);
  const recipientName = oneLine(recipient.name);
  return {
    kind,
    appointmentId: appointment.id,
    language,
    subject: subjectOf(messages, input, when, organization.name, service),
    greeting: messages.common.greeting(recipientName),
    headline: text.headline[kind],
    labels: text.labels,
    footer: [organization.name ? messages.common.sentBy(organization.name) : messages.common.sentBySystem, text.calendarHint],
    organization,
    recipient: { name: recipientName, email: recipient.email },
    counterpart: { name: oneLine(counterpart.name), role: counterpart.role },
    when,
    previously,
    cancelledBy,
    reason: details.reason?.toWellFormed() || null,
    notes: (includeNotes && appointment.notes?.toWellFormed()) || null,
    service,
    location: line(appointment.service?.location),
    method: calendarMethodFor(kind),
    manageUrl: input.manageUrl ?? null,
    manageLinkText: kind === 'cancellation' ? text.manageLink.view : text.manageLink.manage,
  };
}
