/**
 * Which emails an appointment change makes due, and whether a due one is still worth sending.
 * The API records each change with the appointment (a transactional outbox of changes); the worker
 * turns it into emails by these rules, and its sweep uses the same reminder rule to re-create any
 * that are missing. Pure: `now` comes in.
 */
import type { Role } from '../users/user.ts';
import type { Instant } from '../scheduling/types.ts';
import type { CalendarMethod } from '../calendar/ics.ts';
import type { Appointment, AppointmentChangeKind } from '../appointments/appointment.ts';
import { MINUTE_MS } from '../time/calendar.ts';

export const NOTIFICATION_KINDS = ['confirmation', 'reschedule', 'cancellation', 'reminder'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * pending: recorded, not yet handed to the queue; queued: a job exists (or is being re-created);
 * sent: the SMTP server accepted it; failed: retries ran out (an admin may retry it);
 * dropped: the appointment moved on before it was sent (rescheduled, cancelled, started).
 */
export const NOTIFICATION_STATUSES = ['pending', 'queued', 'sent', 'failed', 'dropped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** Who made a change, with name and role as they were then; `id` null: an API key, named by its name. */
export interface ChangedBy {
  readonly id: number | null;
  readonly name: string;
  readonly role: Role;
}

/** What the email needs beyond the appointment itself, frozen when the change happened. */
export interface NotificationDetails {
  /** A reschedule: where the appointment was before. */
  readonly previousStart?: Instant;
  readonly previousEnd?: Instant;
  /** A cancellation: who cancelled and why. */
  readonly cancelledBy?: ChangedBy;
  readonly reason?: string | null;
}

export interface PlannedNotification {
  readonly kind: NotificationKind;
  readonly recipientId: number;
  /** The appointment's SEQUENCE the email describes; a higher one makes it stale. */
  readonly sequence: number;
  readonly dueAt: Instant;
  /** A reminder: how many minutes before the start it goes (each lead time is its own email); null for the other kinds. */
  readonly leadMinutes: number | null;
  readonly details: NotificationDetails;
}

/** The appointment as notification rules see it. */
export type NotifiedAppointment = Pick<Appointment, 'clientId' | 'staffId' | 'start' | 'status' | 'sequence'>;

/** A change both parties hear about, with what its emails say beyond the appointment, frozen when it happened. */
export type NotifyingChange =
  | { readonly kind: 'booked' }
  | {
      readonly kind: 'rescheduled';
      readonly previousStart: Instant;
      readonly previousEnd: Instant;
      readonly reason: string | null;
      /** Set when the move took the appointment to another staff member: who had it before. */
      readonly previousStaffId?: number;
    }
  | { readonly kind: 'cancelled'; readonly by: ChangedBy; readonly reason: string | null };

/** Notes, and marking completed or no-show: nobody is told. */
export interface SilentChange {
  readonly kind: Exclude<AppointmentChangeKind, NotifyingChange['kind']>;
}

export type AppointmentChange = NotifyingChange | SilentChange;

/** Both parties hear about every change. */
const recipients = (appointment: NotifiedAppointment): number[] => [appointment.clientId, appointment.staffId];

/**
 * When the reminder `leadMinutes` before an appointment starting at `start` is due, or null when
 * there is none: a lead time already passed when the appointment was booked (or moved) gets no
 * reminder, since the confirmation or notice just sent serves. The worker's sweep asks the same
 * question, so a reminder it re-creates is one the booking would have planned.
 */
export function reminderDueAt(start: Instant, leadMinutes: number, now: Instant): Instant | null {
  const due = start - leadMinutes * MINUTE_MS;
  return due > now ? due : null;
}

/**
 * The reminders for the appointment as it is now: one per party and lead time (`leads`, in
 * minutes: reminderLeadsFor) still ahead; empty unless it is scheduled.
 */
export function planReminders(appointment: NotifiedAppointment, leads: readonly number[], now: Instant): PlannedNotification[] {
  if (appointment.status !== 'scheduled') return [];
  return leads.flatMap((leadMinutes) => {
    const dueAt = reminderDueAt(appointment.start, leadMinutes, now);
    if (dueAt === null) return [];
    return recipients(appointment).map((recipientId): PlannedNotification => ({ kind: 'reminder', recipientId, sequence: appointment.sequence, dueAt, leadMinutes, details: {} }));
  });
}

const KIND_OF_CHANGE = { booked: 'confirmation', rescheduled: 'reschedule', cancelled: 'cancellation' } as const satisfies Record<
  NotifyingChange['kind'],
  NotificationKind
>;

const isNotifying = (change: AppointmentChange): change is NotifyingChange => Object.hasOwn(KIND_OF_CHANGE, change.kind);

function detailsOf(change: NotifyingChange): NotificationDetails {
  switch (change.kind) {
    case 'booked':
      return {};
    case 'rescheduled':
      return { previousStart: change.previousStart, previousEnd: change.previousEnd, reason: change.reason };
    case 'cancelled':
      return { cancelledBy: change.by, reason: change.reason };
  }
}

/**
 * Everything a change makes due, for `appointment` as it is after the change: an immediate email
 * to each party and, while it stays scheduled, the reminders for its (new) time, one per lead time.
 */
export function planNotifications(appointment: NotifiedAppointment, change: NotifyingChange, leads: readonly number[], now: Instant): PlannedNotification[] {
  const details = detailsOf(change);
  const { sequence } = appointment;
  const notice = (kind: NotificationKind, recipientId: number, about: NotificationDetails): PlannedNotification => ({
    kind,
    recipientId,
    sequence,
    dueAt: now,
    leadMinutes: null,
    details: about,
  });
  // Moved to another staff member: the client hears of the move, the new staff member of a booking,
  // the previous one that it is off their calendar (at the time it had there).
  const handedOver = change.kind === 'rescheduled' && change.previousStaffId !== undefined && change.previousStaffId !== appointment.staffId;
  const immediate = handedOver
    ? [
        notice('reschedule', appointment.clientId, details),
        notice('confirmation', appointment.staffId, {}),
        notice('cancellation', change.previousStaffId!, { previousStart: change.previousStart, previousEnd: change.previousEnd, reason: change.reason }),
      ]
    : recipients(appointment).map((recipientId) => notice(KIND_OF_CHANGE[change.kind], recipientId, details));
  return [...immediate, ...planReminders(appointment, leads, now)];
}

/** A change as recorded with the appointment, read back by the worker. */
export interface RecordedChange {
  readonly clientId: number;
  readonly staffId: number;
  /** The appointment's version after the change, and its start then. */
  readonly sequence: number;
  readonly start: Instant;
  readonly change: AppointmentChange;
  /** When it happened: the plan is judged as of then, however late the worker gets to it. */
  readonly at: Instant;
}

/** What a recorded change does to the notifications of its appointment. */
export type OutboxEffect =
  /** Unsent emails about earlier versions are void; `planned` are due for this one. */
  | { readonly kind: 'supersede'; readonly planned: readonly PlannedNotification[] }
  /**
   * Nobody is told, yet the version rose: what was recorded for the version before (`from`, sent
   * or not) stays true and moves to this one, so its reminders are neither dropped as stale nor
   * recorded again by the sweep.
   */
  | { readonly kind: 'carry_over'; readonly from: number };

/** `leads`: the appointment's reminder lead times (reminderLeadsFor), as they are when the change is processed. */
export function outboxEffect(recorded: RecordedChange, leads: readonly number[]): OutboxEffect {
  const { clientId, staffId, sequence, start, change, at } = recorded;
  // Every change raises the version by one (nextSequence).
  if (!isNotifying(change)) return { kind: 'carry_over', from: sequence - 1 };
  const status = change.kind === 'cancelled' ? 'cancelled' : 'scheduled';
  return { kind: 'supersede', planned: planNotifications({ clientId, staffId, start, status, sequence }, change, leads, at) };
}

export type Verdict = { readonly send: true } | { readonly send: false; readonly reason: string };

/**
 * Whether a due notification still says something true, judged on the appointment re-read just
 * before sending. Anything about an older SEQUENCE is stale (a later notice supersedes it, and its
 * .ics would be ignored by calendars anyway); a reminder also needs the appointment still
 * scheduled and not yet started.
 */
export function notificationVerdict(
  notification: { readonly kind: NotificationKind; readonly sequence: number },
  appointment: NotifiedAppointment,
  now: Instant,
): Verdict {
  if (appointment.sequence !== notification.sequence) {
    return { send: false, reason: `appointment changed since (sequence ${notification.sequence} → ${appointment.sequence})` };
  }
  if (notification.kind === 'reminder') {
    if (appointment.status !== 'scheduled') return { send: false, reason: `appointment is ${appointment.status}` };
    if (now >= appointment.start) return { send: false, reason: 'appointment has already started' };
  }
  return { send: true };
}

/** iTIP method of each email's attachment: cancellations remove the event, everything else adds or updates it. */
export function calendarMethodFor(kind: NotificationKind): CalendarMethod {
  return kind === 'cancellation' ? 'CANCEL' : 'REQUEST';
}
