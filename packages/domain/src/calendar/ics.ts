/**
 * iCalendar (RFC 5545) files for appointments: the API's export routes and the email worker's
 * attachments both build them here. Pure: `now` comes in, the text goes out.
 *
 * ical-generator escapes TEXT values (`\` `;` `,` and line breaks), encodes parameter values per
 * RFC 6868 and folds lines at 75 octets without splitting a UTF-8 sequence. It writes a few things
 * verbatim (UID, the calendar name, the mailto: address), so those are checked or escaped here.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DomainError } from '../errors.ts';
import type { Instant } from '../scheduling/types.ts';

export interface CalendarParty {
  readonly name: string;
  readonly email: string;
}

export interface CalendarEvent {
  /** Stable forever for one appointment; see `appointmentUid`. */
  readonly uid: string;
  /** Bumped on every change a client should pick up (RFC 5546 SEQUENCE). */
  readonly sequence: number;
  /** Written in UTC to whole seconds (iCalendar has no sub-second times). */
  readonly start: Instant;
  readonly end: Instant;
  readonly summary: string;
  /** null (or empty) leaves DESCRIPTION out. */
  readonly description: string | null;
  /** Absent, null or empty leaves LOCATION out. */
  readonly location?: string | null;
  readonly organizer: CalendarParty;
  readonly attendee: CalendarParty;
  readonly status: 'CONFIRMED' | 'CANCELLED';
  readonly lastModified: Instant;
}

export type CalendarMethod = 'PUBLISH' | 'REQUEST' | 'CANCEL';

export interface CalendarOptions {
  /** The calendar's display name (NAME / X-WR-CALNAME). */
  readonly name: string;
  /** DTSTAMP of every event. */
  readonly now: Instant;
  /** METHOD is written only when given (a feed/download has none; an email invite has one). */
  readonly method?: CalendarMethod;
}

/** PRODID: `-//Appointments//Appointment Scheduler//EN`. */
export const CALENDAR_PRODUCT = { company: 'Appointments', product: 'Appointment Scheduler', language: 'EN' } as const;

const STATUS: Readonly<Record<CalendarEvent['status'], ICalEventStatus>> = {
  CONFIRMED: ICalEventStatus.CONFIRMED,
  CANCELLED: ICalEventStatus.CANCELLED,
};

const METHOD: Readonly<Record<CalendarMethod, ICalCalendarMethod>> = {
  PUBLISH: ICalCalendarMethod.PUBLISH,
  REQUEST: ICalCalendarMethod.REQUEST,
  CANCEL: ICalCalendarMethod.CANCEL,
};

/** Printable ASCII without the characters TEXT would need escaped: safe to write verbatim. */
const isToken = (value: string): boolean => /^[\x21-\x7e]+$/.test(value) && !/[\\;,]/.test(value);
/** A conservative address for `mailto:` (written verbatim): no spaces, controls, quotes or separators. */
const EMAIL = /^[^\s\x00-\x1f\x7f"(),:;<>@[\\\]]+@[^\s\x00-\x1f\x7f"(),:;<>@[\\\]]+$/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LINE_BREAK = /\r\n|\r|\n/g;

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new DomainError('VALIDATION.FAILED', message, details);
}

/**
 * The UID of an appointment's event: `appointment-<id>@<host>`. It must never change for an
 * appointment, or calendar clients duplicate the event instead of updating it.
 */
export function appointmentUid(appointmentId: number, host: string): string {
  if (!Number.isSafeInteger(appointmentId) || appointmentId <= 0) invalid('Appointment id must be a positive integer.', { appointmentId });
  if (!isToken(host) || host.includes('@')) invalid('UID host must be a plain host name.', { host });
  return `appointment-${appointmentId}@${host}`;
}

/**
 * TEXT as RFC 5545 allows it: well-formed Unicode, no control characters other than TAB and line
 * breaks (ical-generator escapes those). Everything else survives a round trip unchanged.
 */
function text(value: string): string {
  return value.toWellFormed().replace(CONTROL, '');
}

/** A display name for CN: one line (many clients do not decode RFC 6868 `^n`). */
function displayName(value: string, what: string): string {
  const name = text(value).replace(/[\r\n]+/g, ' ').trim();
  if (name === '') invalid(`${what} name must not be empty.`);
  return name;
}

/** RFC 5545 TEXT escaping, for the values ical-generator writes verbatim. */
function escapeText(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(LINE_BREAK, '\\n');
}

function party(value: CalendarParty, what: string): { name: string; email: string } {
  if (!EMAIL.test(value.email)) invalid(`${what} email is not a valid address.`, { email: value.email });
  return { name: displayName(value.name, what), email: value.email };
}

function instant(value: Instant, what: string): Date {
  const date = new Date(value);
  if (!Number.isFinite(value) || Number.isNaN(date.getTime())) invalid(`${what} is not a valid instant.`, { [what]: value });
  return date;
}

/**
 * One VCALENDAR holding one VEVENT per event, as a CRLF-terminated string with lines folded at
 * 75 octets. Times are UTC (`Z`); DTSTAMP is `now`.
 */
export function buildCalendar(events: readonly CalendarEvent[], options: CalendarOptions): string {
  const calendar = ical({ prodId: CALENDAR_PRODUCT, name: escapeText(text(options.name)) });
  if (options.method !== undefined) calendar.method(METHOD[options.method]);
  const stamp = instant(options.now, 'now');

  for (const event of events) {
    if (!isToken(event.uid)) invalid('Event UID must be printable ASCII without spaces, `\\`, `;` or `,`.', { uid: event.uid });
    if (!Number.isSafeInteger(event.sequence) || event.sequence < 0) invalid('SEQUENCE must be a non-negative integer.', { sequence: event.sequence });
    const start = instant(event.start, 'start');
    const end = instant(event.end, 'end');
    if (!(event.end > event.start)) invalid('An event must end after it starts.', { uid: event.uid });
    const description = event.description === null ? '' : text(event.description);

    const created = calendar.createEvent({
      id: event.uid,
      sequence: event.sequence,
      stamp,
      start,
      end,
      summary: text(event.summary),
      status: STATUS[event.status],
      organizer: party(event.organizer, 'Organizer'),
      lastModified: instant(event.lastModified, 'lastModified'),
    });
    if (description !== '') created.description(description);
    const location = event.location ? text(event.location) : '';
    if (location !== '') created.location(location);
    created.createAttendee(party(event.attendee, 'Attendee'));
  }

  const ics = calendar.toString();
  return ics.endsWith('\r\n') ? ics : `${ics}\r\n`;
}
