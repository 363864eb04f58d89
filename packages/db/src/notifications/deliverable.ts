import type { Appointment, ServiceLabel, Notification, Role } from '@appointments/domain';
import { toInstant } from '../runner/index.ts';
import type { DeliverableRow } from '../sql/notifications.ts';
import { notificationFromRow } from './notification.ts';

/** A party of an appointment, as an email to or about them needs it. */
export interface DeliveryParty {
  readonly id: number;
  readonly fullName: string;
  readonly email: string;
  readonly timezone: string;
  readonly role: Role;
  /** BCP 47; null: DEFAULT_LOCALE. */
  readonly locale: string | null;
}

/** A notification with the current state of its appointment and both parties, read together. */
export interface Deliverable {
  readonly notification: Notification;
  /**
   * Null when the appointment (or a party of it) no longer exists. What the email's rules read of
   * it (the verdict, the content, the calendar event), with both parties and its service (null when
   * booked by its times alone).
   */
  readonly appointment:
    | (Pick<Appointment, 'id' | 'clientId' | 'staffId' | 'start' | 'end' | 'notes' | 'status' | 'sequence' | 'updatedAt'> & {
        readonly client: DeliveryParty;
        readonly staff: DeliveryParty;
        /** Who the email is for: a party, or the staff member the appointment moved away from. */
        readonly recipient: DeliveryParty;
        readonly service: ServiceLabel | null;
      })
    | null;
}

export function deliverableFromRow(row: DeliverableRow): Deliverable {
  const notification = notificationFromRow(row);
  const { a_id: id, c_id: clientId, s_id: staffId, r_id: recipientId } = row;
  if (id === null || clientId === null || staffId === null || recipientId === null) return { notification, appointment: null };
  return {
    notification,
    appointment: {
      id,
      clientId,
      staffId,
      start: toInstant(row.a_start_at),
      end: toInstant(row.a_end_at),
      notes: row.a_notes,
      status: row.a_status,
      sequence: row.a_sequence,
      updatedAt: toInstant(row.a_updated_at),
      client: { id: clientId, fullName: row.c_full_name, email: row.c_email, timezone: row.c_timezone, role: row.c_role, locale: row.c_locale },
      staff: { id: staffId, fullName: row.s_full_name, email: row.s_email, timezone: row.s_timezone, role: row.s_role, locale: row.s_locale },
      recipient: { id: recipientId, fullName: row.r_full_name, email: row.r_email, timezone: row.r_timezone, role: row.r_role, locale: row.r_locale },
      service: row.sv_name === null ? null : { name: row.sv_name, location: row.sv_location },
    },
  };
}
