import { appointmentScope, parseRequestDateTime, type Instant } from '@appointments/domain';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { listCursor } from '../cursor.ts';
import { toAppointmentOutput } from './appointment.schema.ts';
import type { listAppointmentsInput } from './list.schema.ts';

/** After an appointment's start and id. */
const cursors = listCursor<readonly [start: Instant, id: number]>('appointments', 2);

export async function listAppointmentsHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof listAppointmentsInput>) {
  const filters = [input.status, input.from, input.to, input.staff_id, input.client_id];
  const after = cursors.after(input.cursor, filters, { name: 'offset', value: input.offset });
  const scope = appointmentScope(ctx.user, { clientId: input.client_id, staffId: input.staff_id });
  const instant = (value: string | undefined) => (value === undefined ? undefined : parseRequestDateTime(value, ctx.user.timezone));
  const page = await ctx.repos.appointments.list({
    ...scope,
    status: input.status,
    from: instant(input.from),
    to: instant(input.to),
    offset: input.offset,
    limit: input.limit,
    after,
  });
  return { items: page.items.map(toAppointmentOutput), next_cursor: cursors.next(page, filters, (last) => [last.start, last.id]) };
}
