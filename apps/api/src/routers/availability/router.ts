import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../../trpc.ts';
import {
  createAvailabilityHandler,
  deleteAvailabilityHandler,
  listAvailabilityHandler,
  updateAvailabilityHandler,
} from './availability.handler.ts';
import {
  availabilityIdInput,
  availabilityOutput,
  createAvailabilityInput,
  listAvailabilityInput,
  updateAvailabilityInput,
} from './availability.schema.ts';
import { slotsHandler } from './slots.handler.ts';
import { slotsInput, slotsOutput } from './slots.schema.ts';

const tags = ['availability'];
const manage = { 403: 'Not your availability', 404: 'No such staff member or entry', 422: 'Invalid entry (the message says which rule)' };

export const availabilityRouter = router({
  create: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/api/v1/availability', tags, summary: 'Add availability or time off (staff for themselves, admins for anyone)', protect: true, errorResponses: manage }, successStatus: 201, scope: 'availability:write' })
    .input(createAvailabilityInput)
    .output(availabilityOutput)
    .mutation(createAvailabilityHandler),

  list: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/availability', tags, summary: "A staff member's availability entries", protect: false, errorResponses: { 404: 'No such staff member' } } })
    .input(listAvailabilityInput)
    .output(z.array(availabilityOutput))
    .query(listAvailabilityHandler),

  slots: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/api/v1/availability/slots',
        tags,
        summary: 'Free slots for a date or a date range',
        description:
          'Windows (weekly + dated − unavailable) minus booked time widened by buffers, minus the past and the minimum notice, within the booking horizon, on days the daily cap has not filled. ' +
          'With `service_id`: slots of the service, for the named staff member or merged over every staff member offering it (`staff_ids`); a group service’s slots count `seats_left`.',
        protect: false,
        errorResponses: { 404: 'No such staff member or service', 422: 'Bad date or range, a slot_duration other than the service’s, or a staff member who does not offer it' },
      },
    })
    .input(slotsInput)
    .output(slotsOutput)
    .query(slotsHandler),

  update: authedProcedure
    .meta({ openapi: { method: 'PATCH', path: '/api/v1/availability/{id}', tags, summary: 'Change an entry', protect: true, errorResponses: manage }, scope: 'availability:write' })
    .input(updateAvailabilityInput)
    .output(availabilityOutput)
    .mutation(updateAvailabilityHandler),

  delete: authedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/api/v1/availability/{id}', tags, summary: 'Remove an entry', protect: true, errorResponses: manage }, successStatus: 204, scope: 'availability:write' })
    .input(availabilityIdInput)
    .output(z.void())
    .mutation(deleteAvailabilityHandler),
});
