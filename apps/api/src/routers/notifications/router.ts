import { adminProcedure, router } from '../../trpc.ts';
import { listNotificationsHandler, retryNotificationHandler } from './notifications.handler.ts';
import { listNotificationsInput, listNotificationsOutput, notificationOutput, retryNotificationInput } from './notification.schema.ts';

const tags = ['notifications'];
const adminOnly = { 403: 'Admin role required' };

/** The email outbox, for admins: what was sent, what is waiting, and what failed (the dead letters). */
export const notificationsRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/api/v1/admin/notifications',
        tags,
        summary: 'List notifications (admin); `status=failed` lists the dead letters',
        protect: true,
        errorResponses: adminOnly,
      },
      scope: 'appointments:read',
    })
    .input(listNotificationsInput)
    .output(listNotificationsOutput)
    .query(listNotificationsHandler),

  retry: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/admin/notifications/{id}/retry',
        tags,
        summary: 'Send a failed notification again (admin)',
        protect: true,
        errorResponses: { ...adminOnly, 404: 'No such notification', 409: 'Only failed notifications can be retried' },
      },
      scope: 'appointments:write',
    })
    .input(retryNotificationInput)
    .output(notificationOutput)
    .mutation(retryNotificationHandler),
});
