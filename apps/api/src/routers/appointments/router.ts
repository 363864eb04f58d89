import { authedProcedure, bookingProcedure, router } from '../../trpc.ts';
import { createAppointmentHandler } from './create.handler.ts';
import { createAppointmentInput, createAppointmentOutput } from './create.schema.ts';
import { getAppointmentHandler } from './get.handler.ts';
import { getAppointmentInput, getAppointmentOutput } from './get.schema.ts';
import { appointmentOutput } from './appointment.schema.ts';
import { listAppointmentsHandler } from './list.handler.ts';
import { listAppointmentsInput, listAppointmentsOutput } from './list.schema.ts';
import {
  cancelAppointmentHandler,
  historyHandler,
  markCompletedHandler,
  markNoShowHandler,
  rescheduleAppointmentHandler,
  updateAppointmentHandler,
} from './lifecycle.handler.ts';
import {
  cancelAppointmentInput,
  historyInput,
  historyOutput,
  markAppointmentInput,
  rescheduleAppointmentInput,
  updateAppointmentInput,
} from './lifecycle.schema.ts';

const tags = ['appointments'];
const changeErrors = {
  403: 'Not allowed to change this appointment',
  404: 'No such appointment (or not yours)',
  409: 'Not scheduled any more, inside the cancellation window, not started yet, or changed concurrently (the code says which)',
};

export const appointmentsRouter = router({
  create: bookingProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/appointments',
        tags,
        summary: 'Book an appointment',
        description:
          'Valid when the interval lies inside one availability window, respects notice and horizon, and its buffered interval overlaps no other booking. ' +
          'With `service_id`, the end may be left out (the service lasts its duration) and `staff_id` too: the staff member who offers it and has the fewest appointments that day is assigned, the next one if they cannot take it. ' +
          'Send an `Idempotency-Key` header to make retries safe. ' +
          'Without a token, send `guest` ({email, full_name, timezone?, locale?}) to book as a guest (unless GUEST_BOOKING is off): ' +
          'as the client with that email, made one without a password if there is none (an existing account is used as it is); every booking rule applies as to that client. ' +
          'Guest bookings are limited per address (GUEST_BOOKINGS_PER_HOUR). With a token, `guest` is refused.',
        protect: true,
        errorResponses: {
          403: 'Blocked client (APPOINTMENT.CLIENT_BLOCKED), a guest whose account is deactivated (AUTH.INACTIVE_USER), or not allowed to book for this client',
          404: 'No such staff member, client or (active) service',
          409: 'The time is taken (APPOINTMENT.SLOT_TAKEN), every seat of the session is (…FULLY_BOOKED), the staff member takes no more bookings that day (…DAILY_LIMIT_REACHED), or a guest’s email belongs to a staff member or admin (USER.EMAIL_TAKEN)',
          422: 'Invalid input, `guest` sent with a token, or a booking rule failed (the code says which)',
          429: 'Too many guest bookings from this address (AUTH.TOO_MANY_ATTEMPTS; see Retry-After)',
        },
      },
      successStatus: 201,
      authOptional: true,
      idempotent: true,
      scope: 'appointments:write',
    })
    .input(createAppointmentInput)
    .output(createAppointmentOutput)
    .mutation(createAppointmentHandler),

  list: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/api/v1/appointments',
        tags,
        summary: 'Appointments you may see (clients: theirs; staff: assigned; admins: all)',
        protect: true,
        errorResponses: { 403: 'Filter names someone else' },
      },
      cursorInHeaders: true,
      scope: 'appointments:read',
    })
    .input(listAppointmentsInput)
    .output(listAppointmentsOutput)
    .query(listAppointmentsHandler),

  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/appointments/{id}', tags, summary: 'One appointment', protect: true, errorResponses: { 404: 'No such appointment (or not yours)' } }, scope: 'appointments:read' })
    .input(getAppointmentInput)
    .output(getAppointmentOutput)
    .query(getAppointmentHandler),

  update: authedProcedure
    .meta({ openapi: { method: 'PATCH', path: '/api/v1/appointments/{id}', tags, summary: 'Change notes, or cancel with status "cancelled"', protect: true, errorResponses: changeErrors }, scope: 'appointments:write' })
    .input(updateAppointmentInput)
    .output(appointmentOutput)
    .mutation(updateAppointmentHandler),

  cancel: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/api/v1/appointments/{id}/cancel', tags, summary: 'Cancel (client, staff member, or admin; the cancellation window applies)', protect: true, errorResponses: changeErrors }, scope: 'appointments:write' })
    .input(cancelAppointmentInput)
    .output(appointmentOutput)
    .mutation(cancelAppointmentHandler),

  reschedule: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/appointments/{id}/reschedule',
        tags,
        summary: 'Move to a new time (every booking rule applies; the calendar UID stays, SEQUENCE grows)',
        protect: true,
        errorResponses: { ...changeErrors, 422: 'Invalid input, or a booking rule failed (the code says which)' },
      },
      scope: 'appointments:write',
    })
    .input(rescheduleAppointmentInput)
    .output(appointmentOutput)
    .mutation(rescheduleAppointmentHandler),

  markCompleted: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/api/v1/appointments/{id}/mark-completed', tags, summary: 'Mark completed (assigned staff or admin, after the start)', protect: true, errorResponses: changeErrors }, scope: 'appointments:write' })
    .input(markAppointmentInput)
    .output(appointmentOutput)
    .mutation(markCompletedHandler),

  markNoShow: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/api/v1/appointments/{id}/mark-no-show', tags, summary: "Mark a no-show (assigned staff or admin, after the start); counts toward the client's block", protect: true, errorResponses: changeErrors }, scope: 'appointments:write' })
    .input(markAppointmentInput)
    .output(appointmentOutput)
    .mutation(markNoShowHandler),

  history: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/appointments/{id}/history', tags, summary: 'Every change: who, when, from → to, why', protect: true, errorResponses: { 404: 'No such appointment (or not yours)' } }, scope: 'appointments:read' })
    .input(historyInput)
    .output(historyOutput)
    .query(historyHandler),
});

