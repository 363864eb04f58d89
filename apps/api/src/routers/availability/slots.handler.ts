import {
  availabilityWindows,
  bookingLimits,
  computeSlots,
  formatInstant,
  MAX_BUFFER_MINUTES,
  MINUTE_MS,
  slotDateRange,
  slotStepMs,
  wallClockToInstant,
} from '@appointments/domain';
import type { HandlerOptions, PublicContext } from '../../trpc.ts';
import { loadBookingSetup } from '../staff/booking-setup.ts';
import { loadStaff } from '../staff/load-staff.ts';
import type { slotsInput } from './slots.schema.ts';

export async function slotsHandler({ ctx, input }: HandlerOptions<PublicContext, typeof slotsInput>) {
  const [fromDate, toDate] = slotDateRange(input);
  const staff = await loadStaff(ctx.repos, input.staff_id);
  const { booking, rules } = await loadBookingSetup(ctx.repos, ctx.services.settings.bookingDefaults, staff.id);
  const { windows, blocked } = availabilityWindows(rules, staff.timezone, fromDate, toDate);

  const margin = MAX_BUFFER_MINUTES * MINUTE_MS;
  const busy = await ctx.repos.appointments.busyIntervals(
    staff.id,
    wallClockToInstant(fromDate, '00:00:00', staff.timezone, 'start') - margin,
    wallClockToInstant(toDate, '24:00:00', staff.timezone, 'end') + margin,
  );
  const durationMs = input.slot_duration * MINUTE_MS;
  const slots = computeSlots({
    windows,
    blocked,
    busy,
    durationMs,
    stepMs: slotStepMs(booking, durationMs),
    ...bookingLimits(booking, ctx.now.getTime()),
  });
  return slots.map((slot) => ({ start_time: formatInstant(slot.start), end_time: formatInstant(slot.end) }));
}
