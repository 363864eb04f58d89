import type { WebhookEventType } from '@appointments/domain';
import { pagedList } from './clauses.ts';
import { Statement } from './statement.ts';

/** Active endpoints, as fan-out matches events to them. Values: true. */
export const ACTIVE_SUBSCRIPTIONS = new Statement<{ readonly id: number; readonly events: WebhookEventType[] | string; readonly created_at: unknown }>(
  'select id, events, created_at from webhooks where is_active = ?',
);

/** Values: type, body, source, now. No row back when the source was fanned out before. */
export const INSERT_EVENT = new Statement<{ readonly id: number }>(
  'insert into webhook_events (type, body, source, created_at) values (?, ?, ?, ?) on conflict (source) do nothing returning id',
);

/** One delivery of the event to each endpoint listed, due at once. Values: event id, now, now, the endpoints' ids. */
export const INSERT_DELIVERIES = new Statement(
  "insert into webhook_deliveries (event_id, webhook_id, status, attempts, budget_from, next_attempt_at, created_at) select ?, value, 'pending', 0, 0, ?, ? from json_each(?) where true on conflict do nothing",
  "insert into webhook_deliveries (event_id, webhook_id, status, attempts, budget_from, next_attempt_at, created_at) select ?, w, 'pending', 0, 0, ?, ? from unnest(?::int[]) w on conflict do nothing",
);

/** One delivery to one endpoint (a test message), due at once. Values: event id, webhook id, now, now. */
export const INSERT_DELIVERY = new Statement<{ readonly id: number }>(
  "insert into webhook_deliveries (event_id, webhook_id, status, attempts, budget_from, next_attempt_at, created_at) values (?, ?, 'pending', 0, 0, ?, ?) returning id",
);

/** Client events not yet fanned out, oldest first. */
const PENDING_USER_EVENTS_SQL = 'select id, user_id, action, at from user_events where processed_at is null order by id limit ?';
export const CLAIM_USER_EVENTS = new Statement<{ readonly id: number; readonly user_id: number; readonly action: 'blocked' | 'unblocked'; readonly at: unknown }>(
  PENDING_USER_EVENTS_SQL,
  `${PENDING_USER_EVENTS_SQL} for update skip locked`,
);

export const MARK_USER_EVENTS_PROCESSED = new Statement(
  'update user_events set processed_at = ? where id in (select value from json_each(?))',
  'update user_events set processed_at = ? where id = any(?::int[])',
);

/**
 * Claims deliveries due now that no live claim holds, soonest first: each gets its attempt counted
 * and a claim until `locked_until`. PostgreSQL workers claiming at once skip each other's rows;
 * SQLite runs one write at a time. Values: lock until, now, now, limit.
 */
const DUE = "select id from webhook_deliveries where status = 'pending' and next_attempt_at <= ? and (locked_until is null or locked_until <= ?) order by next_attempt_at, id limit ?";
export const CLAIM_DELIVERIES = new Statement<{ readonly id: number; readonly attempts: number; readonly budget_from: number }>(
  `update webhook_deliveries set locked_until = ?, attempts = attempts + 1 where id in (${DUE}) returning id, attempts, budget_from`,
  `update webhook_deliveries set locked_until = ?, attempts = attempts + 1 where id in (${DUE} for update skip locked) returning id, attempts, budget_from`,
);

export interface ClaimedMessageRow {
  readonly id: number;
  readonly event_id: number;
  readonly type: string;
  readonly body: string;
  readonly webhook_id: number;
  readonly url: string;
  readonly secret: string;
  readonly previous_secret: string | null;
  readonly previous_secret_expires_at: unknown;
  /** 0/1 on SQLite. */
  readonly is_active: boolean | number;
}

/** What posting the claimed deliveries takes: their bodies and their endpoints as they are now. Values: the ids, as a list. */
const MESSAGES_SQL =
  'select d.id, d.event_id, e.type, e.body, w.id as webhook_id, w.url, w.secret, w.previous_secret, w.previous_secret_expires_at, w.is_active' +
  ' from webhook_deliveries d join webhook_events e on e.id = d.event_id join webhooks w on w.id = d.webhook_id where d.id';
export const CLAIMED_MESSAGES = new Statement<ClaimedMessageRow>(`${MESSAGES_SQL} in (select value from json_each(?))`, `${MESSAGES_SQL} = any(?::int[])`);

/**
 * An attempt's outcome, recorded only while the claim that made it is the delivery's latest (its
 * attempt count unchanged): a worker whose claim ran out and was taken over records nothing.
 * Values: status, status code, error, next attempt, delivered at, id, attempts.
 */
export const RECORD_ATTEMPT = new Statement<{ readonly id: number }>(
  'update webhook_deliveries set status = ?, last_status_code = ?, last_error = ?, next_attempt_at = ?, delivered_at = ?, locked_until = null where id = ? and attempts = ? returning id',
);

/** An endpoint that answered 410 Gone. Values: reason, now, id. */
export const DEACTIVATE_WEBHOOK = new Statement('update webhooks set is_active = false, disabled_reason = ?, updated_at = ? where id = ?');

/** Its deliveries still waiting fail at once, saying why. Values: error, webhook id. */
export const FAIL_PENDING_OF_WEBHOOK = new Statement(
  "update webhook_deliveries set status = 'failed', last_error = ?, next_attempt_at = null, locked_until = null where webhook_id = ? and status = 'pending'",
);

/** A failed delivery goes again now, with a fresh retry budget. Values: now, id. */
export const RETRY_DELIVERY = new Statement<{ readonly id: number }>(
  "update webhook_deliveries set status = 'pending', budget_from = attempts, next_attempt_at = ?, locked_until = null where id = ? and status = 'failed' returning id",
);

export interface DeliveryRow {
  readonly id: number;
  readonly event_id: number;
  readonly type: string;
  readonly webhook_id: number;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly last_status_code: number | null;
  readonly last_error: string | null;
  readonly next_attempt_at: unknown;
  readonly delivered_at: unknown;
  readonly created_at: unknown;
}

const DELIVERY_COLUMNS = 'd.id, d.event_id, e.type, d.webhook_id, d.status, d.attempts, d.last_status_code, d.last_error, d.next_attempt_at, d.delivered_at, d.created_at';

export const DELIVERY_BY_ID = new Statement<DeliveryRow>(`select ${DELIVERY_COLUMNS} from webhook_deliveries d join webhook_events e on e.id = d.event_id where d.id = ?`);

/** An endpoint's delivery log, newest first. */
export const deliveryList = pagedList<DeliveryRow, 'webhookId' | 'status'>(
  DELIVERY_COLUMNS,
  'webhook_deliveries d join webhook_events e on e.id = d.event_id',
  { columns: ['d.id'], descending: true },
  [
    ['webhookId', 'd.webhook_id = ?'],
    ['status', 'd.status = ?'],
  ],
);

/**
 * Events older than a time whose every delivery went through, their deliveries with them (a batch
 * at a time: deleteInBatches). An event with a delivery pending or failed stays: the failed ones
 * are the dead letters, until retried. Values: before, limit.
 */
export const PRUNE_DELIVERED = new Statement(
  "delete from webhook_events where id in (select e.id from webhook_events e where e.created_at < ? and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status <> 'delivered') limit ?)",
);
