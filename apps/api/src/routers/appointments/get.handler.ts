import { canSeeAppointment, DomainError } from '@appointments/domain';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { toAppointmentOutput } from './appointment.schema.ts';
import type { getAppointmentInput } from './get.schema.ts';

/** Someone else's appointment is reported as missing, not as forbidden: ids reveal nothing. */
export async function getAppointmentHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof getAppointmentInput>) {
  const appointment = await ctx.repos.appointments.findById(input.id);
  if (!appointment || !canSeeAppointment(ctx.user, appointment)) {
    throw new DomainError('APPOINTMENT.NOT_FOUND', `Appointment ${input.id} not found`);
  }
  return toAppointmentOutput(appointment);
}
