import { DomainError, type NamedAppointment, type User } from '@appointments/domain';
import { manageLinkKeys } from '../../auth/throttle.ts';
import type { ActingContext, HandlerOptions, PublicContext } from '../../trpc.ts';
import { toAppointmentOutput } from '../appointments/appointment.schema.ts';
import { cancelAppointmentHandler, rescheduleAppointmentHandler } from '../appointments/lifecycle.handler.ts';
import type { manageCancelInput, manageInput, manageRescheduleInput } from './manage.schema.ts';

interface Granted {
  readonly appointment: NamedAppointment;
  /** The version the link was issued for: the current one. */
  readonly sequence: number;
  /** The appointment's client, as whom a change through the link acts. */
  readonly acting: ActingContext;
}

/**
 * What a manage link stands for. A token that is not ours (forged, altered, garbage) or names no
 * appointment gets one answer, whatever the reason, and counts against the address; a real one
 * for a version since superseded says so (410), and is not counted: it was issued.
 */
async function granted(ctx: PublicContext, token: string): Promise<Granted> {
  const grant = ctx.services.manageTokens.read(token);
  const appointment = grant && (await ctx.repos.appointments.findById(grant.appointmentId));
  if (!grant || !appointment || grant.sequence > appointment.sequence) {
    await ctx.services.throttle.acquire(manageLinkKeys(ctx.services.settings.limits, ctx.clientAddress), ctx.now.getTime(), 'Too many unknown manage links');
    throw new DomainError('MANAGE.NOT_FOUND', 'No such manage link');
  }
  if (grant.sequence < appointment.sequence) {
    throw new DomainError('MANAGE.LINK_EXPIRED', 'The appointment has changed since this link was sent; use the link in the latest email about it');
  }
  const client: User | null = await ctx.repos.users.findById(appointment.clientId);
  // A deactivated client's sessions are gone; their links go with them.
  if (!client?.isActive) throw new DomainError('AUTH.INACTIVE_USER', 'This account is deactivated');
  return { appointment, sequence: grant.sequence, acting: { ...ctx, user: client } };
}

export async function getManagedHandler({ ctx, input }: HandlerOptions<PublicContext, typeof manageInput>) {
  return toAppointmentOutput((await granted(ctx, input.token)).appointment);
}

/** As the client would cancel it: their cancellation window applies; only the version the link was for. */
export async function cancelManagedHandler({ ctx, input }: HandlerOptions<PublicContext, typeof manageCancelInput>) {
  const { appointment, sequence, acting } = await granted(ctx, input.token);
  return cancelAppointmentHandler({ ctx: acting, input: { id: appointment.id, reason: input.reason, expected_sequence: sequence } });
}

/** As the client would move it, every booking rule applying, and with its own staff member (and service). */
export async function rescheduleManagedHandler({ ctx, input }: HandlerOptions<PublicContext, typeof manageRescheduleInput>) {
  const { appointment, sequence, acting } = await granted(ctx, input.token);
  return rescheduleAppointmentHandler({
    ctx: acting,
    input: {
      id: appointment.id,
      new_start_time: input.new_start_time,
      new_end_time: input.new_end_time,
      staff_id: appointment.staffId,
      expected_sequence: sequence,
    },
  });
}
