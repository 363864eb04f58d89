import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { toAppointmentOutput } from './appointment.schema.ts';
import type { getAppointmentInput } from './get.schema.ts';
import { loadVisibleAppointment } from './visible.ts';

export async function getAppointmentHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof getAppointmentInput>) {
  return toAppointmentOutput(await loadVisibleAppointment(ctx.repos, ctx.user, input.id));
}
