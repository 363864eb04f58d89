import { z } from 'zod';
import { formatInstant, WEBHOOK_EVENT_TYPES, writtenText } from '@appointments/domain';
import type { Webhook } from '@appointments/db';
import { CURSOR_LIST_DEFAULTS, cursorListInputShape, cursorPageOutput, idOutput, idParam, instantOutput } from '../common.schema.ts';

/** The example: the front desk's CRM, told of every booking and cancellation. */
export const webhookOutput = z
  .object({
    id: idOutput(1),
    url: z.string().meta({ examples: ['https://crm.example.com/hooks/appointments'] }),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).meta({ examples: [['appointment.created', 'appointment.cancelled']] }),
    description: z.string().nullable().meta({ examples: ['Front desk CRM'] }),
    is_active: z.boolean().meta({ examples: [true] }),
    disabled_reason: z.string().nullable().meta({ description: 'Why the system deactivated it (the endpoint answered 410 Gone); null otherwise', examples: [null] }),
    created_at: instantOutput,
    updated_at: instantOutput,
  })
  .meta({ id: 'Webhook' });

const secretOutput = z.string().meta({
  description: 'Signs every delivery (Standard Webhooks: `whsec_` and the base64 of the key). Shown only on creation and rotation: store it now',
  examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw8NDT1fWv7zM='],
});

export const createdWebhookOutput = webhookOutput.extend({ secret: secretOutput }).meta({ id: 'CreatedWebhook' });

export const rotatedWebhookOutput = webhookOutput
  .extend({
    secret: secretOutput,
    previous_secret_expires_at: instantOutput.meta({ description: 'Until then deliveries carry a signature by the previous secret too, so receivers can switch over' }),
  })
  .meta({ id: 'RotatedWebhook' });

/** Judged by the URL guard, not here, so every refusal of a URL says why in one code (WEBHOOK.URL_NOT_ALLOWED). */
const urlInput = z.string().meta({
  description: 'Where deliveries are POSTed: an http(s) URL without credentials, on a public address (unless WEBHOOK_ALLOW_PRIVATE_NETWORKS)',
  examples: ['https://crm.example.com/hooks/appointments'],
});

const eventsInput = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1, 'Subscribe to at least one event')
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((events) => new Set(events).size === events.length, 'Each event at most once')
  .meta({ description: 'The events it receives' });

const descriptionInput = writtenText(z.string().trim().max(500), 'Description', 'one');

export const createWebhookInput = z
  .object({
    url: urlInput,
    events: eventsInput,
    description: descriptionInput.nullable().default(null),
  })
  .meta({ examples: [{ url: 'https://crm.example.com/hooks/appointments', events: ['appointment.created', 'appointment.cancelled'], description: 'Front desk CRM' }] });

/** Each field: a value sets it, absent leaves it; a null description clears it. */
export const updateWebhookInput = z
  .object({
    id: idParam,
    url: urlInput.optional(),
    events: eventsInput.optional().meta({ description: 'Replaces the whole list' }),
    description: descriptionInput.nullable().optional(),
    is_active: z.boolean().optional().meta({ description: 'false: no new events; deliveries still waiting fail, saying why, when their turn comes. true: resumes, and clears `disabled_reason`' }),
  })
  .meta({ examples: [{ id: 1, events: ['appointment.created', 'appointment.rescheduled', 'appointment.cancelled'] }, { id: 1, is_active: true }] });

export const webhookIdInput = z.object({ id: idParam });

export const listWebhooksInput = z
  .object({
    ...cursorListInputShape,
  })
  .default(CURSOR_LIST_DEFAULTS);
/** By id; over REST a plain array, the next cursor in headers. */
export const listWebhooksOutput = cursorPageOutput(webhookOutput);

export function toWebhookOutput(webhook: Webhook): z.output<typeof webhookOutput> {
  return {
    id: webhook.id,
    url: webhook.url,
    events: [...webhook.events],
    description: webhook.description,
    is_active: webhook.isActive,
    disabled_reason: webhook.disabledReason,
    created_at: formatInstant(webhook.createdAt),
    updated_at: formatInstant(webhook.updatedAt),
  };
}
