import { DomainError } from '@appointments/domain';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { listCursor } from '../cursor.ts';
import { toDeliveryOutput, type deliveryIdInput, type listDeliveriesInput } from './delivery.schema.ts';
import { existingWebhook } from './webhooks.handler.ts';

/** Newest first: after the id of the oldest one read. */
const cursors = listCursor<readonly [id: number]>('webhook_deliveries', 1);

export async function listDeliveriesHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof listDeliveriesInput>) {
  await existingWebhook(ctx.repos, input.id);
  const filters = [input.id, input.status];
  const after = cursors.after(input.cursor, filters, { name: 'offset', value: input.offset });
  const page = await ctx.repos.webhookDeliveries.list({ webhookId: input.id, status: input.status, limit: input.limit, offset: input.offset, after });
  return { items: page.items.map(toDeliveryOutput), next_cursor: cursors.next(page, filters, (last) => [last.id]) };
}

/** Sends a failed delivery again now, with a fresh retry budget and the same message id. */
export async function retryDeliveryHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof deliveryIdInput>) {
  const retried = await ctx.repos.webhookDeliveries.retry(input.id, ctx.now);
  const delivery = await ctx.repos.webhookDeliveries.findById(input.id);
  if (!delivery) throw new DomainError('WEBHOOK.DELIVERY_NOT_FOUND', `Webhook delivery ${input.id} not found`);
  if (!retried) throw new DomainError('WEBHOOK.DELIVERY_NOT_FAILED', `Webhook delivery ${input.id} is ${delivery.status}; only failed deliveries can be retried`);
  return toDeliveryOutput(delivery);
}
