/**
 * Which emails an appointment change makes due, and whether a due one is still worth sending.
 * The API records the plan in the same transaction as the change (a transactional outbox); the
 * worker's sweep uses the same reminder rule to re-create any that are missing. Pure: `now` comes in.
 */
import type { Role } from '../users/user.ts';
import type { AppointmentStatus, Instant } from '../scheduling/types.ts';
import type { CalendarMethod } from '../calendar/ics.ts';

export const NOTIFICATION_KINDS = ['confirmation', 'reschedule', 'cancellation', 'reminder'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * pending: recorded, not yet handed to the queue; queued: a job exists (or is being re-created);
 * sent: the SMTP server accepted it; failed: retries ran out (an admin may retry it);
 * dropped: the appointment moved on before it was sent (rescheduled, cancelled, started).
 */
export const NOTIFICATION_STATUSES = ['pending', 'queued', 'sent', 'failed', 'dropped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** What the email needs beyond the appointment itself, frozen when the change happened. */
export interface NotificationDetails {
  /** A reschedule: where the appointment was before. */
  readonly previousStart?: Instant;
  readonly previousEnd?: Instant;
  /** A cancellation: who cancelled (name and role as they were then) and why. */
  readonly cancelledBy?: { readonly id: number; readonly name: string; readonly role: Role };
  readonly reason?: string | null;
}

export interface PlannedNotification {
  readonly kind: NotificationKind;
  readonly recipientId: number;
  /** The appointment's SEQUENCE the email describes; a higher one makes it stale. */
  readonly sequence: number;
  readonly dueAt: Instant;
  readonly details: NotificationDetails;
}

/** The appointment as notification rules see it. */
export interface NotifiedAppointment {
  readonly clientId: number;
  readonly staffId: number;
  readonly start: Instant;
  readonly status: AppointmentStatus;
  readonly sequence: number;
}

export type AppointmentChange =
  | { readonly kind: 'booked' }
  | { readonly kind: 'rescheduled'; readonly previousStart: Instant; readonly previousEnd: Instant; readonly reason: string | null }
  | { readonly kind: 'cancelled'; readonly by: { readonly id: number; readonly name: string; readonly role: Role }; readonly reason: string | null };

export interface NotificationSettings {
  /** REMINDER_LEAD_MINUTES, in ms. */
  readonly reminderLeadMs: number;
}

/** Both parties hear about every change. */
const recipients = (appointment: NotifiedAppointment): number[] => [appointment.clientId, appointment.staffId];

/**
 * When the reminder for an appointment starting at `start` is due, or null when there is none:
 * an appointment booked (or moved) inside the lead time gets no reminder, since the confirmation
 * or notice just sent serves. The worker's sweep asks the same question, so a reminder it
 * re-creates is one the booking would have planned.
 */
export function reminderDueAt(start: Instant, settings: NotificationSettings, now: Instant): Instant | null {
  const due = start - settings.reminderLeadMs;
  return due > now ? due : null;
}

/** The reminders (one per party) for the appointment as it is now; empty if none is due. */
export function planReminders(appointment: NotifiedAppointment, settings: NotificationSettings, now: Instant): PlannedNotification[] {
  if (appointment.status !== 'scheduled') return [];
  const dueAt = reminderDueAt(appointment.start, settings, now);
  if (dueAt === null) return [];
  return recipients(appointment).map((recipientId) => ({ kind: 'reminder', recipientId, sequence: appointment.sequence, dueAt, details: {} }));
}

const KIND_OF_CHANGE = { booked: 'confirmation', rescheduled: 'reschedule', cancelled: 'cancellation' } as const satisfies Record<
  AppointmentChange['kind'],
  NotificationKind
>;

function detailsOf(change: AppointmentChange): NotificationDetails {
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
 * to each party and, while it stays scheduled, the reminders for its (new) time. Marking an
 * appointment completed or no-show is not a change here: it sends nothing.
 */
export function planNotifications(
  appointment: NotifiedAppointment,
  change: AppointmentChange,
  settings: NotificationSettings,
  now: Instant,
): PlannedNotification[] {
  const details = detailsOf(change);
  const immediate = recipients(appointment).map(
    (recipientId): PlannedNotification => ({ kind: KIND_OF_CHANGE[change.kind], recipientId, sequence: appointment.sequence, dueAt: now, details }),
  );
  return [...immediate, ...planReminders(appointment, settings, now)];
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
