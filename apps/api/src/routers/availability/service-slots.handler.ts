import type { ServiceSlotState } from '@appointments/db';
import {
  assertAppointmentLength,
  assertServiceVisible,
  bookingLimits,
  DomainError,
  isActiveStaff,
  MAX_BUFFER_MINUTES,
  MINUTE_MS,
  resolveBookingRules,
  staffSchedule,
  staffServiceSlots,
  wallClockToInstant,
} from '@appointments/domain';
import type { PublicContext } from '../../trpc.ts';
import { serviceSlotCacheFor, serviceSlotQueryKey, type ServiceSlotList, type ServiceSlotQueryKey } from './service-slot-cache.ts';
import type { ServiceSlotsQuery } from './slots.schema.ts';

/** Slots of a service: one staff member's, or every offering staff member's merged. */
export async function serviceSlots(ctx: PublicContext, input: ServiceSlotsQuery) {
  const cache = serviceSlotCacheFor(ctx.services.db);
  const query = serviceSlotQueryKey(input);
  const { state, list: found } = await cache.find(query);
  let list = found;
  if (!list) {
    list = await computeServiceSlotList(ctx, query, state);
    cache.store(query.key, list);
  } else assertDuration(query, list.durationMinutes);
  return cache.visible(query.key, list, ctx.now.getTime()).output;
}

function assertDuration({ slotDuration }: ServiceSlotQueryKey, durationMinutes: number): void {
  if (slotDuration !== undefined && slotDuration !== durationMinutes) {
    throw new DomainError('SERVICE.DURATION_MISMATCH', `This service lasts ${durationMinutes} minutes: omit slot_duration or give that`, { duration_minutes: durationMinutes });
  }
}

/** Every slot of the query's dates, whatever the time: notice and horizon are applied per request, per staff member. */
async function computeServiceSlotList(ctx: PublicContext, query: ServiceSlotQueryKey, state: ServiceSlotState | null): Promise<ServiceSlotList> {
  const service = state?.service ?? null;
  assertServiceVisible(service, query.serviceId, null);
  assertAppointmentLength(service.durationMinutes * MINUTE_MS, ctx.services.settings.minAppointmentMinutes);
  assertDuration(query, service.durationMinutes);
  const { repos } = ctx;
  const defaults = ctx.services.settings.bookingDefaults;
  const setups = await repos.appointments.offeringSetups(query.serviceId, query.staffId);
  if (query.staffId !== null) {
    // The named staff member must exist (as for their own slots) and offer the service.
    const [setup] = setups.length > 0 ? setups : [await repos.appointments.bookingSetup(query.staffId)];
    staffSchedule(setup!, defaults, query.staffId, null);
    if (setups.length === 0) throw new DomainError('SERVICE.NOT_OFFERED', `Staff member ${query.staffId} does not offer service ${query.serviceId}`);
  }
  const offering = setups.filter((setup) => isActiveStaff(setup.staff));

  // One read of everyone's busy time, from the earliest local midnight to the latest, widened by the longest buffer.
  const margin = MAX_BUFFER_MINUTES * MINUTE_MS;
  const starts = offering.map(({ staff }) => wallClockToInstant(query.from, '00:00:00', staff.timezone, 'start'));
  const ends = offering.map(({ staff }) => wallClockToInstant(query.to, '24:00:00', staff.timezone, 'end'));
  const ids = offering.map(({ staff }) => staff.id);
  const busy = await repos.appointments.busyIntervalsOf(ids, Math.min(...starts) - margin, Math.max(...ends) + margin);
  const capped = offering.filter((setup) => resolveBookingRules(setup.overrides, defaults).maxBookingsPerDay !== null).map(({ staff }) => staff.id);
  const bookings = capped.length > 0 ? await repos.appointments.bookingsByDate(capped, query.from, query.to) : new Map<number, [string, number][]>();

  const staff = offering.map((setup) => {
    const { schedule } = staffSchedule(setup, defaults, setup.staff.id, null);
    const computed = staffServiceSlots({
      zone: setup.staff.timezone,
      schedule,
      service,
      fromDate: query.from,
      toDate: query.to,
      busy: busy.get(setup.staff.id) ?? [],
      bookingsByDate: bookings.get(setup.staff.id) ?? [],
    });
    return { staffId: setup.staff.id, limits: bookingLimits(computed.booking, 0), slots: computed.slots };
  });
  return { fingerprint: state!.fingerprint, durationMinutes: service.durationMinutes, capacity: service.capacity, named: query.staffId !== null, staff };
}
