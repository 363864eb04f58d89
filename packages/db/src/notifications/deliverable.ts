import type { AppointmentStatus, Role } from '@appointments/domain';
import { toDate } from '../runner/index.ts';
import type { DeliverableRow } from '../sql/notifications.ts';
import { notificationFromRow, type Notification } from './notification.ts';

/** A party of an appointment, as an email to or about them needs it. */
export interface DeliveryParty {
  readonly id: number;
  readonly fullName: string;
  readonly email: string;
  readonly timezone: string;
  readonly role: Role;
}

/** A notification with the current state of its appointment and both parties, read together. */
export interface Deliverable {
  readonly notification: Notification;
  /** Null when the appointment (or a party of it) no longer exists. */
  readonly appointment: {
    readonly id: number;
    readonly start: Date;
    readonly end: Date;
    readonly notes: string | null;
    readonly status: AppointmentStatus;
    readonly sequence: number;
    readonly updatedAt: Date;
    readonly client: DeliveryParty;
    readonly staff: DeliveryParty;
  } | null;
}

export function deliverableFromRow(row: DeliverableRow): Deliverable {
  const notification = notificationFromRow(row);
  const { a_id: id, c_id: clientId, s_id: staffId } = row;
  if (id === null || clientId === null || staffId === null) return { notification, appointment: null };
  return {
    notification,
    appointment: {
      id,
      start: toDate(row.a_start_at),
      end: toDate(row.a_end_at),
      notes: row.a_notes,
      status: row.a_status,
      sequence: row.a_sequence,
      updatedAt: toDate(row.a_updated_at),
      client: { id: clientId, fullName: row.c_full_name, email: row.c_email, timezone: row.c_timezone, role: row.c_role },
      staff: { id: staffId, fullName: row.s_full_name, email: row.s_email, timezone: row.s_timezone, role: row.s_role },
    },
  };
}
