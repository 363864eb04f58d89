import { authedProcedure, router } from '../../trpc.ts';
import { createAppointmentHandler } from './create.handler.ts';
import { createAppointmentInput, createAppointmentOutput } from './create.schema.ts';
import { getAppointmentHandler } from './get.handler.ts';
import { getAppointmentInput, getAppointmentOutput } from './get.schema.ts';
import { listAppointmentsHandler } from './list.handler.ts';
import { listAppointmentsInput, listAppointmentsOutput } from './list.schema.ts';

const tags = ['appointments'];

export const appointmentsRouter = router({
  create: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/appointments',
        tags,
        summary: 'Book an appointment',
        description:
          'Valid when the interval lies inside one availability window, respects notice and horizon, and its buffered interval overlaps no other booking. Send an `Idempotency-Key` header to make retries safe.',
        protect: true,
        errorResponses: {
          403: 'Blocked client, or not allowed to book for this client',
          404: 'No such staff member or client',
          409: 'APPOINTMENT.SLOT_TAKEN: the time is taken',
          422: 'Invalid input, or a booking rule failed (the code says which)',
        },
      },
      successStatus: 201,
      idempotent: true,
    })
    .input(createAppointmentInput)
    .output(createAppointmentOutput)
    .mutation(createAppointmentHandler),

  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/appointments', tags, summary: 'Appointments you may see (clients: theirs; staff: assigned; admins: all)', protect: true, errorResponses: { 403: 'Filter names someone else' } } })
    .input(listAppointmentsInput)
    .output(listAppointmentsOutput)
    .query(listAppointmentsHandler),

  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/appointments/{id}', tags, summary: 'One appointment', protect: true, errorResponses: { 404: 'No such appointment (or not yours)' } } })
    .input(getAppointmentInput)
    .output(getAppointmentOutput)
    .query(getAppointmentHandler),
});
