import {
  addDays,
  availabilityWindows,
  bookingLimits,
  computeSlots,
  DomainError,
  formatInstant,
  isValidDate,
  MAX_BUFFER_MINUTES,
  resolveBookingRules,
  slotStepMs,
  wallClockToInstant,
} from '@appointments/domain';
import type { HandlerOptions, PublicContext } from '../../trpc.ts';
import { loadStaff } from '../staff/load-staff.ts';
import { MAX_SLOT_RANGE_DAYS, type slotsInput } from './slots.schema.ts';

const MINUTE = 60_000;

/** The local dates asked for: one `date`, or `from`..`to` inclusive (at most MAX_SLOT_RANGE_DAYS). */
function dateRange(input: { date?: string | undefined; from?: string | undefined; to?: string | undefined }): [string, string] {
  const invalid = (message: string) => new DomainError('SLOTS.INVALID_RANGE', message);
  const [from, to] = input.date !== undefined ? [input.date, input.date] : [input.from, input.to];
  if (from === undefined || to === undefined) throw invalid('Give date, or from and to');
  if (input.date !== undefined && (input.from !== undefined || input.to !== undefined)) throw invalid('Give date or from/to, not both');
  if (!isValidDate(from) || !isValidDate(to)) throw invalid('Dates must be real calendar dates (YYYY-MM-DD)');
  if (to < from) throw invalid('to must not be before from');
  if (addDays(from, MAX_SLOT_RANGE_DAYS - 1) < to) throw invalid(`A range covers at most ${MAX_SLOT_RANGE_DAYS} days`);
  return [from, to];
}

export async function slotsHandler({ ctx, input }: HandlerOptions<PublicContext, typeof slotsInput>) {
  const [fromDate, toDate] = dateRange(input);
  const staff = await loadStaff(ctx.repos, input.staff_id);
  const [overrides, rules] = await Promise.all([ctx.repos.staffSettings.get(staff.id), ctx.repos.availability.listForStaff(staff.id)]);
  const booking = resolveBookingRules(overrides, ctx.services.settings.bookingDefaults);
  const { windows, blocked } = availabilityWindows(rules, staff.timezone, fromDate, toDate);

  const margin = MAX_BUFFER_MINUTES * MINUTE;
  const busy = await ctx.repos.appointments.busyIntervals(
    staff.id,
    wallClockToInstant(fromDate, '00:00:00', staff.timezone, 'start') - margin,
    wallClockToInstant(toDate, '24:00:00', staff.timezone, 'end') + margin,
  );
  const durationMs = input.slot_duration * MINUTE;
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
