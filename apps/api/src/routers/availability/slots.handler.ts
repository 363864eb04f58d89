import {
  assertAppointmentLength,
  availabilityWindows,
  bookingLimits,
  computeSlots,
  formatInstant,
  MAX_BUFFER_MINUTES,
  MINUTE_MS,
  slotStepMs,
  staffSchedule,
  UNLIMITED,
  wallClockToInstant,
} from '@appointments/domain';
import type { HandlerOptions, PublicContext } from '../../trpc.ts';
import { slotCacheFor, slotQueryKey, visibleSlots, type SlotList, type SlotQueryKey } from './slot-cache.ts';
import type { slotsInput } from './slots.schema.ts';

type SlotsOptions = HandlerOptions<PublicContext, typeof slotsInput>;

export async function slotsHandler({ ctx, input }: SlotsOptions) {
  // Before the cache: a slot too short to book is never computed, kept or offered.
  assertAppointmentLength(input.slot_duration * MINUTE_MS, ctx.services.settings.minAppointmentMinutes);
  const cache = slotCacheFor(ctx.services.db);
  const query = slotQueryKey(input);
  const found = await cache.find(query);
  let list = found.list;
  if (!list) {
    list = await computeSlotList({ ctx, input }, query, found.version);
    cache.store(query.key, list);
  }
  return visibleSlots(list, ctx.now.getTime());
}

/** Every slot of the query's dates, whatever the time: notice and horizon are applied per request. */
async function computeSlotList({ ctx, input }: SlotsOptions, { from: fromDate, to: toDate }: SlotQueryKey, version: number): Promise<SlotList> {
  const { staff, schedule } = staffSchedule(await ctx.repos.appointments.bookingSetup(input.staff_id), ctx.services.settings.bookingDefaults, input.staff_id, null);
  const { booking, rules } = schedule;
  const { windows, blocked } = availabilityWindows(rules, staff.timezone, fromDate, toDate);

  const margin = MAX_BUFFER_MINUTES * MINUTE_MS;
  const busy = await ctx.repos.appointments.busyIntervals(
    staff.id,
    wallClockToInstant(fromDate, '00:00:00', staff.timezone, 'start') - margin,
    wallClockToInstant(toDate, '24:00:00', staff.timezone, 'end') + margin,
  );
  const durationMs = input.slot_duration * MINUTE_MS;
  // The buffers from bookingLimits (they do not depend on the time); the limits replaced by UNLIMITED.
  const slots = computeSlots({ windows, blocked, busy, durationMs, stepMs: slotStepMs(booking, durationMs), ...bookingLimits(booking, 0), ...UNLIMITED });
  return { version, booking, slots, output: slots.map((slot) => ({ start_time: formatInstant(slot.start), end_time: formatInstant(slot.end) })) };
}
