import { assertCanManageStaff, resolveBookingRules } from '@appointments/domain';
import type { AuthedContext, HandlerOptions, PublicContext } from '../../trpc.ts';
import { loadStaff } from './load-staff.ts';
import { toStaffSettingsOutput, type getStaffSettingsInput, type updateStaffSettingsInput } from './settings.schema.ts';

export async function getStaffSettingsHandler({ ctx, input }: HandlerOptions<PublicContext, typeof getStaffSettingsInput>) {
  await loadStaff(ctx.repos, input.staff_id, null);
  const overrides = await ctx.repos.staffSettings.get(input.staff_id);
  return toStaffSettingsOutput(input.staff_id, resolveBookingRules(overrides, ctx.services.settings.bookingDefaults));
}

export async function updateStaffSettingsHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof updateStaffSettingsInput>) {
  assertCanManageStaff(ctx.user, input.staff_id);
  await loadStaff(ctx.repos, input.staff_id, ctx.user);
  const overrides = await ctx.repos.staffSettings.update(input.staff_id, {
    bufferBeforeMinutes: input.buffer_before_minutes,
    bufferAfterMinutes: input.buffer_after_minutes,
    minNoticeMinutes: input.min_notice_minutes,
    maxAdvanceDays: input.max_advance_days,
    slotIntervalMinutes: input.slot_interval_minutes,
    maxBookingsPerDay: input.max_bookings_per_day,
  });
  return toStaffSettingsOutput(input.staff_id, resolveBookingRules(overrides, ctx.services.settings.bookingDefaults));
}
