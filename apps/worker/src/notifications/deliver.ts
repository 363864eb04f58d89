import { appointmentCalendarEvent, buildCalendar, composeEmail, notificationVerdict, type Branding, type EmailPerson, type EventSettings } from '@appointments/domain';
import type { Database, DeliveryParty } from '@appointments/db';
import type { ManageGrant } from '@appointments/runtime';
import type { Logger } from 'pino';
import type { Mailer } from '../mail/mailer.ts';
import type { EmailRenderer } from '../mail/render.ts';

export interface DeliveryContext {
  readonly db: Database;
  readonly mailer: Mailer;
  readonly renderer: EmailRenderer;
  readonly logger: Logger;
  /** The events' settings, NOTES_IN_CALENDAR among them. */
  readonly calendar: EventSettings;
  /** NOTES_IN_NOTIFICATIONS: whether appointments' notes go into the email. */
  readonly notesInEmail: boolean;
  readonly branding: Branding;
  /** DEFAULT_LOCALE: the language of people who chose none. */
  readonly defaultLocale: string;
  /** The client's manage link for one version of an appointment. */
  readonly manageUrl: (grant: ManageGrant) => string;
  readonly now?: () => Date;
}

export type DeliveryOutcome = 'sent' | 'dropped' | 'skipped';

const person = (user: DeliveryParty): EmailPerson => ({ id: user.id, name: user.fullName, email: user.email, timezone: user.timezone, role: user.role });

/**
 * Sends one notification, if it is still worth sending. Idempotent: it re-reads the row and the
 * appointment first, so a job for a notification already sent, dropped or superseded does nothing.
 * A failure to send is counted on the row and rethrown, so the queue retries it with backoff.
 * The one way an email goes out twice: the process dies after the SMTP server accepted it and
 * before `markSent` committed; the job then times out and is retried.
 */
export async function deliver(ctx: DeliveryContext, notificationId: number, signal: AbortSignal, log: Logger = ctx.logger): Promise<DeliveryOutcome> {
  const now = ctx.now?.() ?? new Date();
  const repos = ctx.db.fork();
  const deliverable = await repos.notifications.findDeliverable(notificationId);
  const notification = deliverable?.notification;
  if (!notification || (notification.status !== 'pending' && notification.status !== 'queued')) {
    log.info({ notificationId, status: notification?.status ?? 'missing' }, 'notification no longer open; nothing to send');
    return 'skipped';
  }
  const appointment = deliverable.appointment;
  if (!appointment) {
    await repos.notifications.markDropped(notificationId, 'appointment or party no longer exists');
    return 'dropped';
  }
  const { client, staff, recipient } = appointment;
  const verdict = notificationVerdict(notification, appointment, now.getTime());
  if (!verdict.send) {
    await repos.notifications.markDropped(notificationId, verdict.reason);
    log.info({ notificationId, reason: verdict.reason }, 'notification dropped');
    return 'dropped';
  }

  const toClient = recipient.id === client.id;
  const content = composeEmail({
    kind: notification.kind,
    appointment,
    details: notification.details,
    recipient: person(recipient),
    counterpart: person(toClient ? staff : client),
    locale: recipient.locale ?? ctx.defaultLocale,
    branding: ctx.branding,
    includeNotes: ctx.notesInEmail,
    // The version this email describes (the verdict made sure it is the current one): any later change makes the link answer 410.
    manageUrl: toClient ? ctx.manageUrl({ appointmentId: appointment.id, sequence: notification.sequence }) : null,
  });
  const event = appointmentCalendarEvent(appointment, { staff, client }, recipient.id, ctx.calendar);
  const calendar = buildCalendar([event], { name: 'Appointment', now: now.getTime(), method: content.method });
  const rendered = await ctx.renderer.render(content);

  // The queue gave up on this job (timed out, or the worker is stopping): another attempt will send it.
  signal.throwIfAborted();
  let messageId: string;
  try {
    ({ messageId } = await ctx.mailer.send({
      to: content.recipient,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      calendar: { method: content.method === 'CANCEL' ? 'CANCEL' : 'REQUEST', content: calendar },
      headers: { 'X-Appointment-Id': String(appointment.id), 'X-Notification-Id': String(notification.id) },
      fileStem: `${now.toISOString().replace(/[:.]/g, '-')}-${notification.kind}-${appointment.id}-${notification.id}`,
    }));
  } catch (error) {
    await repos.notifications.recordFailure(notificationId, (error as Error).message);
    throw error;
  }
  await recordSent(ctx, notificationId, messageId);
  log.info({ notificationId, kind: notification.kind, appointmentId: appointment.id, messageId }, 'notification sent');
  return 'sent';
}

/**
 * The email is out; failing to record that means sending it again on retry. So a passing database
 * hiccup is retried here a few times before the job fails.
 */
async function recordSent(ctx: DeliveryContext, notificationId: number, messageId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.db.fork().notifications.markSent(notificationId, new Date(), messageId);
      return;
    } catch (error) {
      if (attempt >= 4) throw error;
      ctx.logger.warn({ err: error, notificationId, attempt }, 'could not record a sent email; retrying');
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

/** A job out of retries: the row becomes `failed`, where admins see it and may retry it. */
export async function markDead(db: Database, notificationId: number, error: string): Promise<boolean> {
  return db.fork().notifications.markFailed(notificationId, error || null);
}
