import type { Appointment, AppointmentChangeKind, NamedAppointment } from '../appointments/appointment.ts';
import { appointmentWire } from '../appointments/wire.ts';
import type { Instant } from '../scheduling/types.ts';
import { formatInstant } from '../time/convert.ts';
import type { User } from '../users/user.ts';
import { userWire } from '../users/wire.ts';

export const WEBHOOK_EVENT_TYPES = [
  'appointment.created',
  'appointment.rescheduled',
  'appointment.cancelled',
  'appointment.completed',
  'appointment.no_show',
  'client.blocked',
  'client.unblocked',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** What a test send carries: subscribed to by nobody, sent to one endpoint on request. */
export type WebhookMessageType = WebhookEventType | 'ping';

const BY_CHANGE: Partial<Record<AppointmentChangeKind, WebhookEventType>> = {
  booked: 'appointment.created',
  rescheduled: 'appointment.rescheduled',
  cancelled: 'appointment.cancelled',
  completed: 'appointment.completed',
  no_show: 'appointment.no_show',
};

/** The event a change of an appointment fires; none for a change of its notes alone. */
export const appointmentEventType = (kind: AppointmentChangeKind): WebhookEventType | undefined => BY_CHANGE[kind];

/** What of an appointment a change may alter besides its start (a column of the change itself): recorded with every change. */
export type ChangedFields = Pick<Appointment, 'staffId' | 'end' | 'status' | 'notes' | 'updatedAt'>;

export const changedFields = (a: ChangedFields): ChangedFields => ({ staffId: a.staffId, end: a.end, status: a.status, notes: a.notes, updatedAt: a.updatedAt });

/**
 * The appointment as one change left it: what never changes from its row as it is now, what a
 * change alters (its updated_at too) from the state recorded with the change (`state`; absent for changes recorded
 * before states were: then as it is now), and the names of its parties at that version.
 */
export function appointmentAsChanged(
  now: NamedAppointment,
  change: { readonly sequence: number; readonly start: Instant; readonly at: Instant; readonly state: ChangedFields | null },
  nameOf: (userId: number) => string | undefined,
): NamedAppointment {
  const state = change.state ?? now;
  return {
    ...now,
    ...changedFields(state),
    start: change.start,
    sequence: change.sequence,
    staffName: nameOf(state.staffId) ?? now.staffName,
  };
}

/** A subscription as fan-out reads it. */
export interface Subscription {
  readonly id: number;
  readonly events: readonly WebhookEventType[];
  readonly createdAt: Instant;
}

/** Who receives an event that happened at `at`: the active subscriptions to its type that existed by then. */
export const subscribersOf = (subscriptions: readonly Subscription[], type: WebhookEventType, at: Instant): number[] =>
  subscriptions.filter((s) => s.events.includes(type) && s.createdAt <= at).map((s) => s.id);

/** What an event is about: an appointment, a client, or (a test send) the endpoint itself. */
export type WebhookData = { readonly appointment: NamedAppointment } | { readonly client: User } | { readonly ping: { readonly webhook_id: number } };

/**
 * The body every attempt of every delivery of one event sends, byte for byte: `timestamp` is when
 * the change happened, `data` what it left (an appointment or a client) in the API's own shape.
 */
export function webhookBody(type: WebhookMessageType, at: Instant, data: WebhookData): string {
  const wire = 'appointment' in data ? appointmentWire(data.appointment) : 'client' in data ? userWire(data.client) : data.ping;
  return JSON.stringify({ type, timestamp: formatInstant(at), data: wire });
}
