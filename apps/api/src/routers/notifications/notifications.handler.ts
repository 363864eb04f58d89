import type { z } from 'zod';
import { DomainError } from '@appointments/domain';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { toNotificationOutput, type listNotificationsInput, type listNotificationsOutput, type retryNotificationInput } from './notification.schema.ts';

export async function listNotificationsHandler({
  ctx,
  input,
}: HandlerOptions<AuthedContext, typeof listNotificationsInput>): Promise<z.output<typeof listNotificationsOutput>> {
  const page = await ctx.repos.notifications.list({ status: input.status, appointmentId: input.appointment_id, offset: input.skip, limit: input.limit });
  return { items: page.items.map(toNotificationOutput), total: page.total, skip: input.skip, limit: input.limit };
}

/** Puts a failed notification back in the outbox, due now; the worker queues it on its next poll. */
export async function retryNotificationHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof retryNotificationInput>) {
  const retried = await ctx.repos.notifications.retry(input.id, ctx.now);
  if (retried) return toNotificationOutput(retried);
  const existing = await ctx.repos.notifications.findById(input.id);
  if (!existing) throw new DomainError('NOTIFICATION.NOT_FOUND', `Notification ${input.id} not found`);
  throw new DomainError('NOTIFICATION.NOT_FAILED', `Notification ${input.id} is ${existing.status}; only failed notifications can be retried`);
}
