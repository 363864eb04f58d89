import { defineEntity, p } from '@mikro-orm/core';
import { WebhookSchema } from './webhook.entity.ts';
import { WEBHOOK_DELIVERY_STATUSES } from './webhook.ts';

/**
 * One event's message: its type and the body every delivery of it sends, byte for byte. `source`
 * names what it came from (`change:<id>`, `user_event:<id>`), so fanning one out twice makes one.
 */
const WebhookEventSchema = defineEntity({
  name: 'WebhookEvent',
  tableName: 'webhook_events',
  properties: {
    id: p.integer().primary().autoincrement(),
    type: p.string().length(40),
    body: p.text(),
    source: p.string().length(60).nullable().unique(),
    createdAt: p.datetime(),
  },
});

/**
 * One event to one endpoint: the worker posts it until it is delivered or its retries run out.
 * A worker claims it by setting `locked_until` (and counting the attempt) before posting, so two
 * workers never post it at once; one that dies mid-post leaves the claim to expire, and the
 * delivery goes again with the same `webhook-id`.
 */
const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: p.integer().primary().autoincrement(),
    // The unique (event, webhook) below leads with the event and serves its FK.
    event: () => p.manyToOne(WebhookEventSchema).deleteRule('cascade').index(false),
    webhook: () => p.manyToOne(WebhookSchema).deleteRule('cascade').index(false),
    status: p.enum(WEBHOOK_DELIVERY_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    /** `attempts` when its retry budget began: at creation, or when someone retried it after it failed. */
    budgetFrom: p.integer().default(0),
    lastStatusCode: p.integer().nullable(),
    lastError: p.text().nullable(),
    /** When a pending delivery is next posted; null once it is delivered or failed. */
    nextAttemptAt: p.datetime().nullable(),
    lockedUntil: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
  uniques: [{ name: 'webhook_deliveries_once', properties: ['event', 'webhook'] }],
  indexes: [
    // The worker's claim: pending ones by due time.
    { properties: ['status', 'nextAttemptAt'] },
    // An endpoint's delivery log, newest first.
    { properties: ['webhook', 'id'] },
  ],
});

export class WebhookEventEntity extends WebhookEventSchema.class {}
WebhookEventSchema.setClass(WebhookEventEntity);
export class WebhookDeliveryEntity extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDeliveryEntity);
export { WebhookEventSchema, WebhookDeliverySchema };
