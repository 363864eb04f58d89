import type { Instant, WebhookEventType } from '@appointments/domain';

/** An endpoint as its owner sees it: never its secrets (those are shown once, on creation and rotation). */
export interface Webhook {
  readonly id: number;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly description: string | null;
  readonly isActive: boolean;
  /** Why the system deactivated it (it answered 410 Gone); null otherwise. */
  readonly disabledReason: string | null;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
}

export type NewWebhook = Pick<Webhook, 'url' | 'events' | 'description'> & { readonly secret: string };
/** `undefined` leaves a field as it is. Reactivating clears the reason it was deactivated. */
export type WebhookChanges = Partial<Pick<Webhook, 'url' | 'events' | 'description' | 'isActive'>>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event to one endpoint, as its log shows it. */
export interface WebhookDelivery {
  readonly id: number;
  readonly eventId: number;
  readonly eventType: string;
  readonly webhookId: number;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  /** What went wrong last (an error, or the first 1 KB of a non-2xx answer's body). */
  readonly lastError: string | null;
  readonly nextAttemptAt: Instant | null;
  readonly deliveredAt: Instant | null;
  readonly createdAt: Instant;
}

/** A delivery a worker has claimed: what to post, where, signed with which secrets. */
export interface ClaimedDelivery {
  readonly id: number;
  /** The `webhook-id` header: one per event, the same on every attempt and endpoint. */
  readonly messageId: string;
  readonly body: string;
  /** This attempt's number (1 = the first), which recording its outcome must quote. */
  readonly attempt: number;
  /** Retries already made in its current budget. */
  readonly retried: number;
  readonly webhook: { readonly id: number; readonly url: string; readonly isActive: boolean; readonly secrets: readonly string[] };
}
