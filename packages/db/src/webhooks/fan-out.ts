import {
  appointmentAsChanged,
  appointmentEventType,
  subscribersOf,
  webhookBody,
  type ChangedFields,
  type Instant,
  type Subscription,
  type WebhookData,
  type WebhookEventType,
} from '@appointments/domain';
import { toAppointment } from '../appointments/appointment.repository.ts';
import { read, toInstant, type Program } from '../runner/index.ts';
import { APPOINTMENTS_BY_IDS } from '../sql/appointments.ts';
import type { ClaimedChangeRow } from '../sql/appointment-changes.ts';
import { USERS_BY_IDS } from '../sql/users.ts';
import { ACTIVE_SUBSCRIPTIONS, CLAIM_USER_EVENTS, INSERT_DELIVERIES, INSERT_EVENT, MARK_USER_EVENTS_PROCESSED } from '../sql/webhooks.ts';
import { userFromRow } from '../users/user.row.ts';

/** One event to record, with the endpoints it goes to. */
interface Fanned {
  readonly type: WebhookEventType;
  readonly at: Instant;
  readonly source: string;
  readonly to: readonly number[];
}

function* subscriptions(): Program<Subscription[]> {
  const rows = yield* read([ACTIVE_SUBSCRIPTIONS, [true]]);
  return rows.map((row) => ({ id: row.id, events: typeof row.events === 'string' ? (JSON.parse(row.events) as WebhookEventType[]) : row.events, createdAt: toInstant(row.created_at) }));
}

/** Records each event's body once and one delivery of it per endpoint; an event recorded before (its source) is left as it was. */
function* record(events: readonly (Fanned & { readonly data: WebhookData })[], now: Date): Program<void> {
  for (const event of events) {
    const [inserted] = yield* read([INSERT_EVENT, [event.type, webhookBody(event.type, event.at, event.data), event.source, now]]);
    if (inserted) yield* read([INSERT_DELIVERIES, [inserted.id, now, now, event.to]]);
  }
}

/**
 * The webhook events of a batch of changes, in the batch's transaction: a change that fires an
 * event subscribed to becomes one event, its body the appointment as that change left it (its
 * recorded state; the appointment's row for what never changes), and one delivery per endpoint.
 * With no endpoint subscribed it reads one small table and writes nothing.
 */
export function* fanOutChanges(rows: readonly ClaimedChangeRow[], now: Date): Program<void> {
  if (!rows.some((row) => appointmentEventType(row.kind))) return;
  const subscribed = yield* subscriptions();
  const fanned = rows.flatMap((row) => {
    const type = appointmentEventType(row.kind);
    const at = toInstant(row.at);
    const to = type ? subscribersOf(subscribed, type, at) : [];
    return type && to.length > 0 ? [{ row, type, at, to, source: `change:${row.id}` }] : [];
  });
  if (fanned.length === 0) return;
  const appointments = new Map((yield* read([APPOINTMENTS_BY_IDS, [[...new Set(fanned.map((f) => f.row.appointment_id))]]])).map((row) => [row.id, toAppointment(row)]));
  const states = new Map(fanned.map((f) => [f.row.id, typeof f.row.state === 'string' ? (JSON.parse(f.row.state) as ChangedFields) : f.row.state]));
  // A change may have left the appointment with a staff member it has since left: name them as of the change.
  const staffIds = [...new Set([...states.values()].flatMap((state) => (state ? [state.staffId] : [])))];
  const names = new Map((staffIds.length === 0 ? [] : yield* read([USERS_BY_IDS, [staffIds]])).map((row) => [row.id, row.full_name]));
  yield* record(
    fanned.flatMap((f) => {
      // Appointments are never deleted; the claim joined this one.
      const current = appointments.get(f.row.appointment_id);
      if (!current) return [];
      const change = { sequence: f.row.sequence, start: toInstant(f.row.start_at), at: f.at, state: states.get(f.row.id) ?? null };
      return [{ ...f, data: { appointment: appointmentAsChanged(current, change, (id) => names.get(id)) } }];
    }),
    now,
  );
}

/**
 * Client events (blocks and unblocks) not yet fanned out, up to `limit`, oldest first: each becomes
 * one event per subscribed endpoint, its body the client with the standing the event gave them.
 * The user events are marked processed in the same transaction; how many were taken.
 */
export function* fanOutUserEvents(limit: number, now: Date): Program<number> {
  const rows = yield* read([CLAIM_USER_EVENTS, [limit]]);
  if (rows.length === 0) return 0;
  const subscribed = yield* subscriptions();
  const fanned = rows.flatMap((row) => {
    const type = row.action === 'blocked' ? 'client.blocked' : 'client.unblocked';
    const at = toInstant(row.at);
    const to = subscribersOf(subscribed, type, at);
    return to.length > 0 ? [{ row, type, at, to, source: `user_event:${row.id}` } as const] : [];
  });
  if (fanned.length > 0) {
    const users = new Map((yield* read([USERS_BY_IDS, [[...new Set(fanned.map((f) => f.row.user_id))]]])).map((row) => [row.id, userFromRow(row)]));
    yield* record(
      fanned.map((f) => ({ ...f, data: { client: { ...users.get(f.row.user_id)!, isBlocked: f.row.action === 'blocked' } } })),
      now,
    );
  }
  yield* read([MARK_USER_EVENTS_PROCESSED, [now, rows.map((row) => row.id)]]);
  return rows.length;
}
