import { DomainError } from '@appointments/domain';
import { guestBookingKeys } from '../../auth/throttle.ts';
import { bookAppointment, type BookingRequest } from '../../booking/book.ts';
import type { BookingDeps } from '../../booking/deps.ts';
import { guestAccess } from '../../booking/guest.ts';
import type { CallerAccess } from '../../booking/trust.ts';
import { INPUT_INVALID } from '../../errors.ts';
import type { BookingContext, HandlerOptions } from '../../trpc.ts';
import { toAppointmentOutput, type AppointmentOutput } from './appointment.schema.ts';
import type { createAppointmentInput } from './create.schema.ts';
import { assertIdempotencyKey, idempotencyOwner, replay, requestHash } from './idempotency.ts';

type Options = HandlerOptions<BookingContext, typeof createAppointmentInput>;

/**
 * The caller: the token's, or without one the guest's client. Guest bookings are limited per
 * address, before anything is read or written: each may create an account.
 */
async function callerAccess({ ctx, input: { guest } }: Options): Promise<CallerAccess> {
  if (ctx.access) {
    if (!guest) return ctx.access;
    throw new DomainError('VALIDATION.FAILED', INPUT_INVALID, { issues: [{ path: 'guest', message: 'A guest books without a token; with one, leave guest out' }] });
  }
  // bookingProcedure lets a request without a token through only when it names a guest.
  if (!guest) throw new DomainError('AUTH.NOT_AUTHENTICATED', 'Authentication required');
  const { settings, throttle } = ctx.services;
  await throttle.acquire(guestBookingKeys(settings.limits, ctx.clientAddress), ctx.now.getTime(), 'Too many guest bookings from this address');
  return guestAccess(ctx.repos, { email: guest.email, fullName: guest.full_name, timezone: guest.timezone ?? settings.defaultTimezone, locale: guest.locale ?? null });
}

/**
 * POST /appointments: the booking use case (booking/book.ts) for this request. With an
 * Idempotency-Key, a repeated request returns the first answer instead of booking again.
 */
export async function createAppointmentHandler(options: Options): Promise<AppointmentOutput> {
  const { ctx, input } = options;
  const access = await callerAccess(options);
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
  if (key === null) return toAppointmentOutput(await bookAppointment(deps, access, request));

  assertIdempotencyKey(key);
  // The stored answer is read before booking: only on a session validated now.
  const caller = access.caller.keptSession ? await access.fresh() : access.caller;
  // Absent and null (or false) mean the same to booking, so they fingerprint the same. A guest's
  // details say who books (the key's owner), not what is booked.
  const { allow_client_overlap, guest: _guest, ...fields } = input;
  const hash = requestHash({ ...fields, notes: request.notes, client_id: input.client_id ?? null, ...(allow_client_overlap && { allow_client_overlap }) });
  const owner = idempotencyOwner(caller.user);
  const previous = await replay<AppointmentOutput>(ctx.repos, owner, key, hash);
  if (previous) return previous;
  try {
    const booked = await bookAppointment(deps, { ...access, caller }, request, async (repos, appointment) => {
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
