import type { NotificationDetails, NotificationKind, NotificationStatus } from '@appointments/domain';
import { toDate, toDateOrNull } from '../runner/index.ts';
import type { NotificationRow } from '../sql/notifications.ts';

export interface Notification {
  readonly id: number;
  readonly appointmentId: number;
  readonly recipientId: number;
  readonly kind: NotificationKind;
  readonly sequence: number;
  readonly status: NotificationStatus;
  readonly dueAt: Date;
  readonly details: NotificationDetails;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly queuedAt: Date | null;
  readonly sentAt: Date | null;
  readonly messageId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function notificationFromRow(row: NotificationRow): Notification {
  return {
    id: row.id,
    appointmentId: row.appointment_id,
    recipientId: row.recipient_id,
    kind: row.kind,
    sequence: row.sequence,
    status: row.status,
    dueAt: toDate(row.due_at),
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as NotificationDetails) : row.details,
    attempts: row.attempts,
    lastError: row.last_error,
    queuedAt: toDateOrNull(row.queued_at),
    sentAt: toDateOrNull(row.sent_at),
    messageId: row.message_id,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
