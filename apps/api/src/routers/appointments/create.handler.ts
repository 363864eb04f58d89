import { sameStanding, StaleSessionError, type SessionAsRead, type StaffBookingSetup } from '@appointments/db';
import { bookingClientId, clientOverlapWaiver, DomainError, parseRequestDateTime, planNotifications, type User } from '@appointments/domain';
import type { HandlerOptions, KeptSessionContext } from '../../trpc.ts';
import { staffSetup } from '../staff/booking-setup.ts';
import { checkBookable } from './bookable.ts';
import { toAppointmentOutput, type AppointmentOutput } from './appointment.schema.ts';
import { withStaffSetup } from './cached-setup.ts';
import type { createAppointmentInput } from './create.schema.ts';
import { assertIdempotencyKey, replay, requestHash } from './idempotency.ts';

type Options = HandlerOptions<KeptSessionContext, typeof createAppointmentInput>;

/**
 * Books an appointment. The domain's check gives precise errors; the database's no-overlap
 * constraint is the last word when two requests race. With an Idempotency-Key, a repeated
 * request returns the first answer instead of booking again.
 *
 * A session this process validated before is not read again: the booking's write confirms it
 * (kept-sessions.ts). Only a booking is answered on a kept session; a refusal, or a request with
 * an Idempotency-Key (whose stored answer would be read first), is answered on a fresh one.
 */
export async function createAppointmentHandler({ ctx, input }: Options): Promise<AppointmentOutput> {
  const key = ctx.idempotencyKey;
  const { auth } = ctx;
  if (auth.kept && key === null) {
    try {
      return await book({ ctx, input }, auth.user, { id: auth.session.id, user: auth.user });
    } catch (error) {
      if (!(error instanceof DomainError || error instanceof StaleSessionError)) throw error;
      const { user } = await auth.fresh();
      // A refusal judged on a user who still stands as read stands (the setup was fresh for it: cached-setup.ts).
      if (error instanceof DomainError && sameStanding(user, auth.user)) throw error;
      return book({ ctx, input }, user);
    }
  }
  const { user } = auth.kept ? await auth.fresh() : auth;
  if (key === null) return book({ ctx, input }, user);

  assertIdempotencyKey(key);
  // Absent and null (or false) mean the same to booking, so they fingerprint the same.
  const { allow_client_overlap, ...fields } = input;
  const hash = requestHash({ ...fields, notes: input.notes ?? null, client_id: input.client_id ?? null, ...(allow_client_overlap && { allow_client_overlap }) });
  const previous = await replay<AppointmentOutput>(ctx.repos, user.id, key, hash);
  if (previous) return previous;
  try {
    return await book({ ctx, input }, user, undefined, { key, hash });
  } catch (error) {
    // Lost a race (in the rules check or in the database) to the same request under the same key:
    // answer as that one did.
    if (error instanceof DomainError && error.code === 'APPOINTMENT.SLOT_TAKEN') {
      const previous = await replay<AppointmentOutput>(ctx.services.db.fork(), user.id, key, hash);
      if (previous) return previous;
    }
    throw error;
  }
}

/** Books for `user`; with `session`, only if the write finds it as read; with `idempotency`, storing the answer with the booking. */
async function book({ ctx, input }: Options, user: User, session?: SessionAsRead, idempotency?: { key: string; hash: string }): Promise<AppointmentOutput> {
  const clientId = bookingClientId(user, input.client_id);
  const clientOverlapAllowed = clientOverlapWaiver(user, input.allow_client_overlap);
  let client: Promise<User | null> | undefined;
  // The request checked against a staff member's setup: what to write, or a DomainError.
  const prepare = async (loaded: StaffBookingSetup) => {
    const { staff, setup } = staffSetup(loaded, ctx.services.settings.bookingDefaults, input.staff_id, user);
    const found = await (client ??= clientId === user.id ? Promise.resolve(user) : ctx.repos.users.findById(clientId));
    if (!found || found.role !== 'client' || !found.isActive) throw new DomainError('USER.NOT_FOUND', `Client ${clientId} not found`);
    const start = parseRequestDateTime(input.start_time, staff.timezone);
    const end = parseRequestDateTime(input.end_time, staff.timezone);
    const now = ctx.now.getTime();
    const { bufferedStart, bufferedEnd } = checkBookable({ staff, setup, start, end, clientBlocked: found.isBlocked, now, minMinutes: ctx.services.settings.minAppointmentMinutes });
    // The outbox: the emails this booking makes due commit (or vanish) with it and its history entry.
    const notifications = planNotifications({ clientId, staffId: staff.id, start, status: 'scheduled', sequence: 0 }, { kind: 'booked' }, ctx.services.settings.notifications, now);
    return {
      clientId,
      staffId: staff.id,
      start: new Date(start),
      end: new Date(end),
      bufferedStart: new Date(bufferedStart),
      bufferedEnd: new Date(bufferedEnd),
      notes: input.notes ?? null,
      clientOverlapAllowed,
      actorId: user.id,
      at: ctx.now,
      notifications,
    };
  };
  return withStaffSetup(ctx.services.db, ctx.repos, input.staff_id, prepare, async (prepared, setupVersion) => {
    const booking = { ...prepared, ...(setupVersion !== undefined && { setupVersion }), ...(session && { session }) };
    // book() is atomic on its own; with a key, the stored answer must commit with the booking too.
    if (!idempotency) return toAppointmentOutput(await ctx.repos.appointments.book(booking));
    return ctx.services.db.transaction(async (repos) => {
      const appointment = toAppointmentOutput(await repos.appointments.book(booking));
      if (!(await repos.idempotency.save(user.id, idempotency.key, { requestHash: idempotency.hash, statusCode: 201, response: appointment }))) {
        throw new DomainError('APPOINTMENT.SLOT_TAKEN', 'A concurrent request with this Idempotency-Key won');
      }
      return appointment;
    });
  });
}
