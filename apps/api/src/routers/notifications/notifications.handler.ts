import type { z } from 'zod';
import { DomainError } from '@appointments/domain';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { listCursor } from '../cursor.ts';
import { toNotificationOutput, type listNotificationsInput, type listNotificationsOutput, type retryNotificationInput } from './notification.schema.ts';

/** Newest first: after the id of the oldest one read. */
const cursors = listCursor<readonly [id: number]>('notifications', 1);

export async function listNotificationsHandler({
  ctx,
  input,
}: HandlerOptions<AuthedContext, typeof listNotificationsInput>): Promise<z.output<typeof listNotificationsOutput>> {
  const filter = { status: input.status, appointmentId: input.appointment_id };
  const filters = [filter.status, filter.appointmentId];
  const after = cursors.after(input.cursor, filters, { name: 'skip', value: input.skip });
  const page = await ctx.repos.notifications.list({ ...filter, offset: input.skip, limit: input.limit, after });
  return {
    items: page.items.map(toNotificationOutput),
    total: after ? null : await ctx.repos.notifications.count(filter),
    skip: input.skip,
    limit: input.limit,
    next_cursor: cursors.next(page, filters, (last) => [last.id]),
  };
}

/** Puts a failed notification back in the outbox, due now; the worker queues it on its next poll. */
export async function retryNotificationHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof retryNotificationInput>) {
  const retried = await ctx.repos.notifications.retry(input.id, ctx.now);
  if (retried) return toNotificationOutput(retried);
  const existing = await ctx.repos.notifications.findById(input.id);
  if (!existing) throw new DomainError('NOTIFICATION.NOT_FOUND', `Notification ${input.id} not found`);
  throw new DomainError('NOTIFICATION.NOT_FAILED', `Notification ${input.id} is ${existing.status}; only failed notifications can be retried`);
}
