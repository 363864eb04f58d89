import { appointmentScope, parseRequestDateTime } from '@appointments/domain';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { toAppointmentOutput } from './appointment.schema.ts';
import type { listAppointmentsInput } from './list.schema.ts';

export async function listAppointmentsHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof listAppointmentsInput>) {
  const scope = appointmentScope(ctx.user, { clientId: input.client_id, staffId: input.staff_id });
  const instant = (value: string | undefined) => (value === undefined ? undefined : parseRequestDateTime(value, ctx.user.timezone));
  const page = await ctx.repos.appointments.list({
    ...scope,
    status: input.status,
    from: instant(input.from),
    to: instant(input.to),
    offset: input.offset,
    limit: input.limit,
  });
  return page.items.map(toAppointmentOutput);
}
