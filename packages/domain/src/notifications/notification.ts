import type { Instant } from '../scheduling/types.ts';
import type { NotificationDetails, NotificationKind, NotificationStatus } from './plan.ts';

/** One email of the outbox, as the database returns it: to one person, about one version of an appointment. */
export interface Notification {
  readonly id: number;
  readonly appointmentId: number;
  readonly recipientId: number;
  readonly kind: NotificationKind;
  /** The appointment's SEQUENCE the email describes. */
  readonly sequence: number;
  readonly status: NotificationStatus;
  readonly dueAt: Instant;
  /** A reminder's lead time in minutes; null for the other kinds. */
  readonly leadMinutes: number | null;
  readonly details: NotificationDetails;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly queuedAt: Instant | null;
  readonly sentAt: Instant | null;
  readonly messageId: string | null;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
}
