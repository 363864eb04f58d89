import { assertServiceDuration, assertServiceStaff, assertServiceVisible, DomainError } from '@appointments/domain';
import type { NewService, Repositories, ServiceChanges } from '@appointments/db';
import type { z } from 'zod';
import type { AuthedContext, HandlerOptions, OptionalAuthContext } from '../../trpc.ts';
import { listCursor } from '../cursor.ts';
import { toServiceOutput, type createServiceInput, type listServicesInput, type serviceIdInput, type updateServiceInput } from './service.schema.ts';

type CreateInput = z.output<typeof createServiceInput>;
type UpdateInput = Omit<z.output<typeof updateServiceInput>, 'id'>;

/** A service's written fields under their stored names; absent ones stay absent (a PATCH). */
function storedFields(input: CreateInput): NewService;
function storedFields(input: UpdateInput): ServiceChanges;
function storedFields(input: UpdateInput): ServiceChanges {
  return {
    name: input.name,
    description: input.description,
    durationMinutes: input.duration_minutes,
    location: input.location,
    priceCents: input.price_cents,
    currency: input.currency,
    bufferBeforeMinutes: input.buffer_before_minutes,
    bufferAfterMinutes: input.buffer_after_minutes,
    capacity: input.capacity,
    reminderLeadMinutes: input.reminder_lead_minutes,
    staffIds: input.staff_ids,
    ...(input.is_active !== undefined && { isActive: input.is_active }),
  };
}

/** The rules a written service must meet beyond its fields' own: the shortest appointment, and active staff. */
async function checkWritten(repos: Repositories, minAppointmentMinutes: number, durationMinutes: number | undefined, staffIds: readonly number[] | undefined) {
  if (durationMinutes !== undefined) assertServiceDuration(durationMinutes, minAppointmentMinutes);
  if (staffIds !== undefined) assertServiceStaff(staffIds, await repos.services.usersByIds(staffIds));
}

export async function createServiceHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof createServiceInput>) {
  await checkWritten(ctx.repos, ctx.services.settings.minAppointmentMinutes, input.duration_minutes, input.staff_ids);
  const service = await ctx.services.db.transaction((repos) => repos.services.create(storedFields(input)));
  return toServiceOutput(service);
}

const cursors = listCursor<readonly [id: number]>('services', 1);

export async function listServicesHandler({ ctx, input }: HandlerOptions<OptionalAuthContext, typeof listServicesInput>) {
  const includeInactive = input.include_inactive === 'true';
  if (includeInactive && ctx.user?.role !== 'admin') throw new DomainError('AUTH.FORBIDDEN', 'Only an admin can list inactive services');
  const filters = [includeInactive];
  const after = cursors.after(input.cursor, filters, { name: 'offset', value: input.offset });
  const page = await ctx.repos.services.list({ includeInactive, limit: input.limit, offset: input.offset, after });
  return { items: page.items.map(toServiceOutput), next_cursor: cursors.next(page, filters, (last) => [last.id]) };
}

export async function getServiceHandler({ ctx, input }: HandlerOptions<OptionalAuthContext, typeof serviceIdInput>) {
  const service = await ctx.repos.services.findById(input.id);
  assertServiceVisible(service, input.id, ctx.user);
  return toServiceOutput(service);
}

export async function updateServiceHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof updateServiceInput>) {
  await checkWritten(ctx.repos, ctx.services.settings.minAppointmentMinutes, input.duration_minutes, input.staff_ids);
  const service = await ctx.services.db.transaction((repos) => repos.services.update(input.id, storedFields(input)));
  return toServiceOutput(service);
}

/** Deactivates: the row stays for the appointments that will name it. */
export async function deleteServiceHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof serviceIdInput>) {
  await ctx.repos.services.update(input.id, { isActive: false });
}
