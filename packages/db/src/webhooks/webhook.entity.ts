import { defineEntity, p } from '@mikro-orm/core';
import type { WebhookEventType } from '@appointments/domain';

/**
 * An endpoint subscribed to events. Its secret signs every delivery (Standard Webhooks) and so is
 * kept as it is, like any HMAC key; after a rotation the previous one keeps signing beside it until
 * `previous_secret_expires_at`.
 */
const WebhookSchema = defineEntity({
  name: 'Webhook',
  tableName: 'webhooks',
  properties: {
    id: p.integer().primary().autoincrement(),
    url: p.text(),
    events: p.json<WebhookEventType[]>(),
    description: p.text().nullable(),
    secret: p.string().length(100),
    previousSecret: p.string().length(100).nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    isActive: p.boolean().default(true),
    /** Why it was deactivated by the system (an endpoint answering 410 Gone), for its owner to see. */
    disabledReason: p.text().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export class WebhookEntity extends WebhookSchema.class {}
WebhookSchema.setClass(WebhookEntity);
export { WebhookSchema };
