import { webhookBody, type Instant } from '@appointments/domain';
import { pageOf, type Page, type PageStart } from '../page.ts';
import { read, toInstant, toInstantOrNull, type Runner } from '../runner/index.ts';
import {
  CLAIM_DELIVERIES,
  CLAIMED_MESSAGES,
  DEACTIVATE_WEBHOOK,
  DELIVERY_BY_ID,
  deliveryList,
  FAIL_PENDING_OF_WEBHOOK,
  INSERT_DELIVERY,
  PRUNE_DELIVERED,
  INSERT_EVENT,
  RECORD_ATTEMPT,
  RETRY_DELIVERY,
  type DeliveryRow,
} from '../sql/webhooks.ts';
import { fanOutUserEvents } from './fan-out.ts';
import type { ClaimedDelivery, WebhookDelivery, WebhookDeliveryStatus } from './webhook.ts';

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.type,
    webhookId: row.webhook_id,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: toInstantOrNull(row.next_attempt_at),
    deliveredAt: toInstantOrNull(row.delivered_at),
    createdAt: toInstant(row.created_at),
  };
}

/** What an attempt came to, as its delivery records it. */
export type AttemptRecord =
  | { readonly kind: 'delivered'; readonly statusCode: number }
  | { readonly kind: 'retry'; readonly at: Instant; readonly statusCode: number | null; readonly error: string }
  | { readonly kind: 'failed'; readonly statusCode: number | null; readonly error: string }
  /** The endpoint answered 410 Gone: it is deactivated, and its deliveries still waiting fail with this one. */
  | { readonly kind: 'gone'; readonly error: string };

/** The `webhook-id` of an event's messages. */
export const messageId = (eventId: number) => `msg_${eventId}`;

/**
 * Webhook events and their deliveries: fan-out of client events, the worker's claims and
 * outcomes, and the delivery log. Fan-out of appointment changes runs with their processing
 * (AppointmentChangeRepository.processPending).
 */
export class WebhookDeliveryRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  /** Fans out up to `limit` client events (blocks, unblocks) recorded since the last pass; how many were taken. */
  async fanOutUserEvents(limit: number, now: Date): Promise<number> {
    return this.#sql.program(() => fanOutUserEvents(limit, now));
  }

  /**
   * Claims up to `limit` deliveries due at `now` until `lockedUntil` (counting their attempt) and
   * reads what posting them takes. A claim that runs out (its worker died) makes the delivery
   * claimable again, to go with the same message id.
   */
  async claimDue(now: Date, lockedUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const claimed = await this.#sql.program(() => read([CLAIM_DELIVERIES, [lockedUntil, now, now, limit]]));
    if (claimed.length === 0) return [];
    const messages = new Map((await this.#sql.run(CLAIMED_MESSAGES, [claimed.map((row) => row.id)])).rows.map((row) => [row.id, row]));
    return claimed.flatMap((claim) => {
      const message = messages.get(claim.id);
      if (!message) return []; // its endpoint was deleted meanwhile, and the delivery with it
      const previousValid = message.previous_secret !== null && toInstant(message.previous_secret_expires_at) > now.getTime();
      return [
        {
          id: claim.id,
          messageId: messageId(message.event_id),
          body: message.body,
          attempt: claim.attempts,
          retried: claim.attempts - claim.budget_from - 1,
          webhook: {
            id: message.webhook_id,
            url: message.url,
            isActive: Boolean(message.is_active),
            secrets: previousValid ? [message.secret, message.previous_secret!] : [message.secret],
          },
        },
      ];
    });
  }

  /** Records an attempt's outcome, unless the claim that made it was overtaken (then false). */
  async recordAttempt(claim: Pick<ClaimedDelivery, 'id' | 'attempt' | 'webhook'>, outcome: AttemptRecord, now: Date): Promise<boolean> {
    const fields: [WebhookDeliveryStatus, number | null, string | null, Date | null, Date | null] =
      outcome.kind === 'delivered'
        ? ['delivered', outcome.statusCode, null, null, now]
        : outcome.kind === 'retry'
          ? ['pending', outcome.statusCode, outcome.error, new Date(outcome.at), null]
          : ['failed', outcome.kind === 'gone' ? 410 : outcome.statusCode, outcome.error, null, null];
    return this.#sql.program(function* () {
      const [recorded] = yield* read([RECORD_ATTEMPT, [...fields, claim.id, claim.attempt]]);
      if (outcome.kind === 'gone') {
        const reason = `Deactivated: the endpoint answered 410 Gone on ${now.toISOString()}`;
        yield* read([DEACTIVATE_WEBHOOK, [reason, now, claim.webhook.id]]);
        yield* read([FAIL_PENDING_OF_WEBHOOK, [reason, claim.webhook.id]]);
      }
      return recorded !== undefined;
    });
  }

  /** A test message (`ping`) to one endpoint, due at once: its delivery. */
  async ping(webhookId: number, now: Date): Promise<WebhookDelivery> {
    const id = await this.#sql.program(function* () {
      const [event] = yield* read([INSERT_EVENT, ['ping', webhookBody('ping', now.getTime(), { ping: { webhook_id: webhookId } }), null, now]]);
      const [delivery] = yield* read([INSERT_DELIVERY, [event!.id, webhookId, now, now]]);
      return delivery!.id;
    });
    return (await this.findById(id))!;
  }

  async findById(id: number): Promise<WebhookDelivery | null> {
    const [row] = (await this.#sql.run(DELIVERY_BY_ID, [id])).rows;
    return row ? toDelivery(row) : null;
  }

  /** An endpoint's deliveries, newest first. */
  async list(filter: { readonly webhookId: number; readonly status?: WebhookDeliveryStatus } & PageStart): Promise<Page<WebhookDelivery>> {
    return pageOf((await this.#sql.run(...deliveryList.page(filter))).rows, filter.limit, toDelivery);
  }

  /** Deletes events recorded before `before` that every endpoint received, with their deliveries; how many events. */
  async pruneDelivered(before: Date): Promise<number> {
    return this.#sql.deleteInBatches(PRUNE_DELIVERED, [before]);
  }

  /** Sends a failed delivery again now with a fresh retry budget; false when it is not failed (or not there). */
  async retry(id: number, now: Date): Promise<boolean> {
    return (await this.#sql.run(RETRY_DELIVERY, [now, id])).rows.length > 0;
  }
}
