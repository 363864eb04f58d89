import { z } from 'zod';
import { formatInstant, NOTIFICATION_KINDS, NOTIFICATION_STATUSES, type Notification } from '@appointments/domain';
import { countOutput, formatInstantOrNull, idOutput, idParam, instantOutput, pageInputShape, pageOutput, PAGE_DEFAULTS } from '../common.schema.ts';

/** The example: Jane's confirmation of appointment 1, sent at once. */
export const notificationOutput = z
  .object({
    id: idOutput(1),
    appointment_id: idOutput(1),
    recipient_id: idOutput(3),
    kind: z.enum(NOTIFICATION_KINDS).meta({ examples: ['confirmation'] }),
    sequence: countOutput(0).meta({ description: 'The appointment version (iCalendar SEQUENCE) the email is about' }),
    status: z.enum(NOTIFICATION_STATUSES).meta({ examples: ['sent'] }),
    due_at: instantOutput,
    lead_minutes: z.number().int().min(1).nullable().meta({ description: 'A reminder: how many minutes before the start it goes; null for the other kinds', examples: [null] }),
    attempts: countOutput(1),
    last_error: z.string().nullable().meta({ examples: [null] }),
    queued_at: instantOutput.nullable(),
    sent_at: instantOutput.nullable(),
    created_at: instantOutput,
    updated_at: instantOutput,
  })
  .meta({ id: 'Notification' });

export const listNotificationsInput = z
  .object({
    status: z.enum(NOTIFICATION_STATUSES).optional(),
    appointment_id: idParam.optional(),
    ...pageInputShape,
  })
  .default(PAGE_DEFAULTS);

export const listNotificationsOutput = pageOutput(notificationOutput, 'NotificationPage');

export const retryNotificationInput = z.object({ id: idParam });

export function toNotificationOutput(n: Notification): z.output<typeof notificationOutput> {
  return {
    id: n.id,
    appointment_id: n.appointmentId,
    recipient_id: n.recipientId,
    kind: n.kind,
    sequence: n.sequence,
    status: n.status,
    due_at: formatInstant(n.dueAt),
    lead_minutes: n.leadMinutes,
    attempts: n.attempts,
    last_error: n.lastError,
    queued_at: formatInstantOrNull(n.queuedAt),
    sent_at: formatInstantOrNull(n.sentAt),
    created_at: formatInstant(n.createdAt),
    updated_at: formatInstant(n.updatedAt),
  };
}
