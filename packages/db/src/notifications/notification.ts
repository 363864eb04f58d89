import type { Notification, NotificationDetails } from '@appointments/domain';
import { toInstant, toInstantOrNull } from '../runner/index.ts';
import type { NotificationRow } from '../sql/notifications.ts';

export function notificationFromRow(row: NotificationRow): Notification {
  return {
    id: row.id,
    appointmentId: row.appointment_id,
    recipientId: row.recipient_id,
    kind: row.kind,
    sequence: row.sequence,
    status: row.status,
    dueAt: toInstant(row.due_at),
    // 0: not a reminder, or a reminder recorded before lead times were kept.
    leadMinutes: row.lead_minutes === 0 ? null : row.lead_minutes,
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as NotificationDetails) : row.details,
    attempts: row.attempts,
    lastError: row.last_error,
    queuedAt: toInstantOrNull(row.queued_at),
    sentAt: toInstantOrNull(row.sent_at),
    messageId: row.message_id,
    createdAt: toInstant(row.created_at),
    updatedAt: toInstant(row.updated_at),
  };
}
