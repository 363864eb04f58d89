import { DomainError } from '@appointments/domain';
import { bookAppointment, type BookingRequest } from '../../booking/book.ts';
import type { BookingDeps } from '../../booking/deps.ts';
import type { BookingContext, HandlerOptions } from '../../trpc.ts';
import { toAppointmentOutput, type AppointmentOutput } from './appointment.schema.ts';
import type { createAppointmentInput } from './create.schema.ts';
import { assertIdempotencyKey, idempotencyOwner, replay, requestHash } from './idempotency.ts';

type Options = HandlerOptions<BookingContext, typeof createAppointmentInput>;

/**
 * POST /appointments: the booking use case (booking/book.ts) for this request. With an
 * Idempotency-Key, a repeated request returns the first answer instead of booking again.
 */
export async function createAppointmentHandler({ ctx, input }: Options): Promise<AppointmentOutput> {
  const deps: BookingDeps = { db: ctx.services.db, repos: ctx.repos, settings: ctx.services.settings, now: ctx.now };
  const request: BookingRequest = {
    staffId: input.staff_id,
    serviceId: input.service_id,
    clientId: input.client_id,
    start: input.start_time,
    end: input.end_time,
    notes: input.notes ?? null,
    allowClientOverlap: input.allow_client_overlap,
  };
  const key = ctx.idempotencyKey;
  if (key === null) return toAppointmentOutput(await bookAppointment(deps, ctx.access, request));

  assertIdempotencyKey(key);
  // The stored answer is read before booking: only on a session validated now.
  const caller = ctx.access.caller.keptSession ? await ctx.access.fresh() : ctx.access.caller;
  // Absent and null (or false) mean the same to booking, so they fingerprint the same.
  const { allow_client_overlap, ...fields } = input;
  const hash = requestHash({ ...fields, notes: request.notes, client_id: input.client_id ?? null, ...(allow_client_overlap && { allow_client_overlap }) });
  const owner = idempotencyOwner(caller.user);
  const previous = await replay<AppointmentOutput>(ctx.repos, owner, key, hash);
  if (previous) return previous;
  try {
    const booked = await bookAppointment(deps, { ...ctx.access, caller }, request, async (repos, appointment) => {
      if (!(await repos.idempotency.save(owner, key, { requestHash: hash, statusCode: 201, response: toAppointmentOutput(appointment) }))) {
        throw new DomainError('APPOINTMENT.SLOT_TAKEN', 'A concurrent request with this Idempotency-Key won');
      }
    });
    return toAppointmentOutput(booked);
  } catch (error) {
    // Lost a race (in the rules check or in the database) to the same request under the same key:
    // answer as that one did.
    if (error instanceof DomainError && error.code === 'APPOINTMENT.SLOT_TAKEN') {
      const previous = await replay<AppointmentOutput>(ctx.services.db.fork(), owner, key, hash);
      if (previous) return previous;
    }
    throw error;
  }
}
