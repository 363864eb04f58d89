import {
  assertAppointmentLength,
  availabilityWindows,
  bookingLimits,
  computeSlots,
  dayAllowances,
  formatInstant,
  MAX_BUFFER_MINUTES,
  MINUTE_MS,
  slotStepMs,
  staffSchedule,
  UNLIMITED,
  wallClockToInstant,
  withinDailyCap,
} from '@appointments/domain';
import type { HandlerOptions, PublicContext } from '../../trpc.ts';
import { serviceSlots } from './service-slots.handler.ts';
import { slotCacheFor, slotQueryKey, visibleSlots, type SlotList, type SlotQueryKey } from './slot-cache.ts';
import { slotsQueryOf, type slotsInput, type StaffSlotsQuery } from './slots.schema.ts';

export async function slotsHandler({ ctx, input }: HandlerOptions<PublicContext, typeof slotsInput>) {
  const query = slotsQueryOf(input);
  return 'service' in query ? serviceSlots(ctx, query.service) : staffSlots(ctx, query.staff);
}

async function staffSlots(ctx: PublicContext, input: StaffSlotsQuery) {
  // Before the cache: a slot too short to book is never computed, kept or offered.
  assertAppointmentLength(input.slot_duration * MINUTE_MS, ctx.services.settings.minAppointmentMinutes);
  const cache = slotCacheFor(ctx.services.db);
  const query = slotQueryKey(input);
  const found = await cache.find(query);
  let list = found.list;
  if (!list) {
    list = await computeSlotList(ctx, input, query, found.version);
    cache.store(query.key, list);
  }
  return visibleSlots(list, ctx.now.getTime());
}

/** Every slot of the query's dates, whatever the time: notice and horizon are applied per request. */
async function computeSlotList(ctx: PublicContext, input: StaffSlotsQuery, { from: fromDate, to: toDate }: SlotQueryKey, version: number): Promise<SlotList> {
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
  let slots = computeSlots({ windows, blocked, busy, durationMs, stepMs: slotStepMs(booking, durationMs), ...bookingLimits(booking, 0), ...UNLIMITED });
  if (booking.maxBookingsPerDay !== null) {
    const bookings = await ctx.repos.appointments.bookingsByDate([staff.id], fromDate, toDate);
    slots = withinDailyCap(slots, dayAllowances(bookings.get(staff.id) ?? [], booking.maxBookingsPerDay, staff.timezone), booking.maxBookingsPerDay);
  }
  return { version, booking, slots, output: slots.map((slot) => ({ start_time: formatInstant(slot.start), end_time: formatInstant(slot.end) })) };
}
