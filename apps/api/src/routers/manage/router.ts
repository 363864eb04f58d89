import { MANAGE_PATH } from '@appointments/runtime';
import { appointmentOutput } from '../appointments/appointment.schema.ts';
import { publicProcedure, router } from '../../trpc.ts';
import { cancelManagedHandler, getManagedHandler, rescheduleManagedHandler } from './manage.handler.ts';
import { manageCancelInput, manageInput, manageRescheduleInput } from './manage.schema.ts';

const tags = ['manage'];
const path = `${MANAGE_PATH}/{token}` as const;
const linkErrors = {
  403: 'The client’s account is deactivated (AUTH.INACTIVE_USER)',
  404: 'No such link (MANAGE.NOT_FOUND): never issued, or not intact',
  410: 'The appointment has changed since the link was sent (MANAGE.LINK_EXPIRED): the latest email carries a new one',
  429: 'Too many unknown links from this address (AUTH.TOO_MANY_ATTEMPTS)',
};
const changeErrors = {
  ...linkErrors,
  409: 'Not scheduled any more, inside the cancellation window, or changed concurrently (the code says which)',
};

/** The links in a client's emails: no login; the token stands for the appointment's client, as of one version of it. */
export const manageRouter = router({
  get: publicProcedure
    .meta({ openapi: { method: 'GET', path, tags, summary: 'The appointment a manage link is for, as its client sees it', errorResponses: linkErrors } })
    .input(manageInput)
    .output(appointmentOutput)
    .query(getManagedHandler),

  cancel: publicProcedure
    .meta({ openapi: { method: 'POST', path: `${path}/cancel`, tags, summary: 'Cancel as the client (their cancellation window applies)', errorResponses: changeErrors } })
    .input(manageCancelInput)
    .output(appointmentOutput)
    .mutation(cancelManagedHandler),

  reschedule: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: `${path}/reschedule`,
        tags,
        summary: 'Move to a new time as the client, with the same staff member (and service); every booking rule applies',
        errorResponses: { ...changeErrors, 409: 'The time is taken, or the appointment is not scheduled, inside the cancellation window or changed concurrently (the code says which)', 422: 'Invalid input, or a booking rule failed (the code says which)' },
      },
    })
    .input(manageRescheduleInput)
    .output(appointmentOutput)
    .mutation(rescheduleManagedHandler),
});
