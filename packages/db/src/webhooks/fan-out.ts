import { subscribersOf, webhookBody, type Instant, type Subscription, type WebhookData, type WebhookEventType } from '@appointments/domain';
import { read, toInstant, type Program } from '../runner/index.ts';
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

/** The active endpoints, as events are matched to them. */
export function* subscriptions(): Program<Subscription[]> {
  const rows = yield* read([ACTIVE_SUBSCRIPTIONS, [true]]);
  return rows.map((row) => ({ id: row.id, events: typeof row.events === 'string' ? (JSON.parse(row.events) as WebhookEventType[]) : row.events, createdAt: toInstant(row.created_at) }));
}

/** Records each event's body once and one delivery of it per endpoint; an event recorded before (its source) is left as it was. */
export function* record(events: readonly (Fanned & { readonly data: WebhookData })[], now: Date): Program<void> {
  for (const event of events) {
    const [inserted] = yield* read([INSERT_EVENT, [event.type, webhookBody(event.type, event.at, event.data), event.source, now]]);
    if (inserted) yield* read([INSERT_DELIVERIES, [inserted.id, now, now, event.to]]);
  }
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
