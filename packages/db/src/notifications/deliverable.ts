import type { AppointmentStatus, NotificationDetails, NotificationKind, NotificationStatus, Role } from '@appointments/domain';
import { Statement, toDate, toDateOrNull } from '../raw-sql.ts';
import type { Notification } from './notification.repository.ts';

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

interface PartyColumns {
  readonly id: number | null;
  readonly full_name: string;
  readonly email: string;
  readonly timezone: string;
  readonly role: Role;
}

interface DeliverableRow {
  readonly id: number;
  readonly appointment_id: number;
  readonly recipient_id: number;
  readonly kind: NotificationKind;
  readonly sequence: number;
  readonly status: NotificationStatus;
  readonly due_at: unknown;
  /** Parsed on PostgreSQL (jsonb), text on SQLite. */
  readonly details: NotificationDetails | string;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly queued_at: unknown;
  readonly sent_at: unknown;
  readonly message_id: string | null;
  readonly created_at: unknown;
  readonly updated_at: unknown;
  readonly a_id: number | null;
  readonly a_start_at: unknown;
  readonly a_end_at: unknown;
  readonly a_notes: string | null;
  readonly a_status: AppointmentStatus;
  readonly a_sequence: number;
  readonly a_updated_at: unknown;
}

type Prefixed<P extends string> = { readonly [K in keyof PartyColumns as `${P}_${K}`]: PartyColumns[K] };

const party = (alias: 'c' | 's') => ['id', 'full_name', 'email', 'timezone', 'role'].map((column) => `${alias}.${column} as ${alias}_${column}`).join(', ');

/**
 * Every email reads this, so it is one raw statement rather than four ORM lookups (the ORM's
 * nested populate issued four queries, each built and escaped anew).
 */
export const DELIVERABLE = new Statement<DeliverableRow & Prefixed<'c'> & Prefixed<'s'>>(
  'select n.id, n.appointment_id, n.recipient_id, n.kind, n.sequence, n.status, n.due_at, n.details, n.attempts, n.last_error,' +
    ' n.queued_at, n.sent_at, n.message_id, n.created_at, n.updated_at,' +
    ' a.id as a_id, a.start_at as a_start_at, a.end_at as a_end_at, a.notes as a_notes, a.status as a_status, a.sequence as a_sequence,' +
    ` a.updated_at as a_updated_at, ${party('c')}, ${party('s')}` +
    ' from notifications n left join appointments a on a.id = n.appointment_id' +
    ' left join users c on c.id = a.client_id left join users s on s.id = a.staff_id where n.id = ?',
);

function partyFrom(row: PartyColumns & { readonly id: number }): DeliveryParty {
  return { id: row.id, fullName: row.full_name, email: row.email, timezone: row.timezone, role: row.role };
}

export function deliverableFromRow(row: (typeof DELIVERABLE)['row']): Deliverable {
  const notification: Notification = {
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
      client: partyFrom({ id: clientId, full_name: row.c_full_name, email: row.c_email, timezone: row.c_timezone, role: row.c_role }),
      staff: partyFrom({ id: staffId, full_name: row.s_full_name, email: row.s_email, timezone: row.s_timezone, role: row.s_role }),
    },
  };
}
