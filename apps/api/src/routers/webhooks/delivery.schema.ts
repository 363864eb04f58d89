import { z } from 'zod';
import { formatInstant } from '@appointments/domain';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDelivery } from '@appointments/db';
import { countOutput, cursorListInputShape, cursorPageOutput, formatInstantOrNull, idOutput, idParam, instantOutput } from '../common.schema.ts';

/** The example: appointment 1's booking, delivered to the CRM at the first attempt. */
export const webhookDeliveryOutput = z
  .object({
    id: idOutput(1),
    event_type: z.string().meta({ description: 'The event sent, or `ping` for a test send', examples: ['appointment.created'] }),
    webhook_id: idOutput(1),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).meta({ examples: ['delivered'] }),
    attempts: countOutput(1),
    last_status_code: z.number().int().min(0).max(999).nullable().meta({ description: "The endpoint's answer to the last attempt; null when none came", examples: [200] }),
    last_error: z.string().nullable().meta({ description: 'What went wrong last: an error, or the start of a non-2xx answer', examples: [null] }),
    next_attempt_at: instantOutput.nullable().meta({ description: 'When a pending delivery is next sent; null once delivered or failed' }),
    delivered_at: instantOutput.nullable(),
    created_at: instantOutput,
  })
  .meta({ id: 'WebhookDelivery' });

export const listDeliveriesInput = z.object({
  id: idParam,
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  ...cursorListInputShape,
});
/** Newest first; over REST a plain array, the next cursor in headers. */
export const listDeliveriesOutput = cursorPageOutput(webhookDeliveryOutput);

export const deliveryIdInput = z.object({ id: idParam });

export function toDeliveryOutput(delivery: WebhookDelivery): z.output<typeof webhookDeliveryOutput> {
  return {
    id: delivery.id,
    event_type: delivery.eventType,
    webhook_id: delivery.webhookId,
    status: delivery.status,
    attempts: delivery.attempts,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    next_attempt_at: formatInstantOrNull(delivery.nextAttemptAt),
    delivered_at: formatInstantOrNull(delivery.deliveredAt),
    created_at: formatInstant(delivery.createdAt),
  };
}
